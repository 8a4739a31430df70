package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-connections, each a section of its note. */
enum ConnectionsCode implements CheckCode {
    CONNECTIONS_NEAR_MAX("client connections are close to max_connections"),
    CONNECTIONS_REFUSED("connections were refused with \"Too many connections\" during the window"),
    THREADS_RUNNING_HIGH("many threads execute at once relative to max_connections"),
    ABORTED_CONNECTS("connection attempts failed during the window (wrong passwords, handshake errors)");

    private final String title;

    ConnectionsCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlConnections.NOTE;
    }
}
