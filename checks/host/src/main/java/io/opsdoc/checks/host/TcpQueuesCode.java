package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-tcp-queues, sections of the note linux/tcp. */
enum TcpQueuesCode implements CheckCode {
    ACCEPT_QUEUE_OVERFLOW("completed handshakes were dropped during the window because an accept queue was full"),
    LISTEN_QUEUE_FULL("a listener's accept queue is at its backlog: the application does not accept fast enough");

    private final String title;

    TcpQueuesCode(String title) {
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
