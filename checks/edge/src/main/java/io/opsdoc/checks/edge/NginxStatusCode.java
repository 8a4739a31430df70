package io.opsdoc.checks.edge;

import io.opsdoc.core.CheckCode;

/** The finding codes of nginx-status, each a section of the note nginx/status. */
enum NginxStatusCode implements CheckCode {
    CONNECTIONS_DROPPED("accepts > handled: nginx accepted connections and closed them at once (no free worker_connections slot)"),
    NEAR_WORKER_CONNECTION_LIMIT("active connections near worker_processes x worker_connections (max-connections)"),
    WORKERS_NE_CPUS("config: worker_processes is not the number of CPUs (more: workers compete for CPUs; fewer: CPUs idle)"),
    WORKER_CONNECTIONS_OVER_FD_LIMIT("config: worker_connections above the workers' open-file limit: accept() fails with EMFILE before the slots run out"),
    CLIENT_KEEPALIVE_OFF("config: keepalive_timeout 0: every client request opens a new TCP (and TLS) connection"),
    UPSTREAM_NO_KEEPALIVE("config: an upstream proxy_pass sends to keeps no idle connections (no keepalive, or not HTTP/1.1)");

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
