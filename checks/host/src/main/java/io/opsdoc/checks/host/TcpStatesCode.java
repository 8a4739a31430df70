package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-tcp-states, sections of the note linux/tcp. */
enum TcpStatesCode implements CheckCode {
    CLOSE_WAIT_LEAK("many connections the peer closed are still not closed by the local application (CLOSE_WAIT)"),
    TIME_WAIT_EXHAUSTION("TIME_WAIT connections to one destination hold a large share of the local port range");

    private final String title;

    TcpStatesCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxTcpStates.NOTE;
    }
}
