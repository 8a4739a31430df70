package io.opsdoc.checks.edge;

import io.opsdoc.core.CheckCode;

/** The finding codes of nginx-status, each a section of the note nginx/status. */
enum NginxStatusCode implements CheckCode {
    CONNECTIONS_DROPPED("accepts > handled: nginx accepted connections and closed them at once (no free worker_connections slot)"),
    NEAR_WORKER_CONNECTION_LIMIT("active connections near worker_processes x worker_connections (max-connections)");

    private final String title;

    NginxStatusCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return NginxStatus.NOTE;
    }
}
