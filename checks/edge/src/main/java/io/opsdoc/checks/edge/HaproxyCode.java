package io.opsdoc.checks.edge;

import io.opsdoc.core.CheckCode;

/** The finding codes of haproxy-backends, each a section of the note haproxy/backends. */
enum HaproxyCode implements CheckCode {
    BACKEND_DOWN("a backend has no server up: its frontends answer 503 to every request routed to it"),
    SERVER_DOWN("a server is DOWN by its health check (L4CON refused, L4TOUT, L7STS bad status ...)"),
    SERVER_MAINT("a server is in maintenance (MAINT): set by an operator or an API, it takes no traffic"),
    QUEUEING("requests wait in a backend's or server's queue: every server is at its maxconn"),
    SESSIONS_NEAR_LIMIT("current sessions near the session limit (maxconn) of a frontend, backend or server");

    private final String title;

    HaproxyCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return HaproxyBackends.NOTE;
    }
}
