package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of tcp-port, sections of the note network/tcp-port. */
enum TcpPortCode implements CheckCode {
    PORT_CLOSED("the connect was refused: nothing listens on the port, or a firewall rejects with a reset"),
    PORT_FILTERED("the connect got no answer before the connect timeout: a firewall drops the SYN, or a black hole"),
    NO_ROUTE("the connect failed with no route: the host is down on its segment (ARP failed) or a router says unreachable"),
    CONNECT_SLOW("the connect succeeded, but slower than the threshold (a lost SYN waits 1 s, then 3 s)");

    private final String title;

    TcpPortCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return TcpPort.NOTE;
    }
}
