package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-replication-config, each a section of its note. */
enum ReplicationConfigCode implements CheckCode {
    DUPLICATE_SERVER_ID("the replica has the same server_id as its source"),
    REPLICA_WRITABLE("the replica is not read-only"),
    GTID_DISABLED("replication does not use GTIDs"),
    SINGLE_THREADED_APPLIER("the replica applies changes with one thread"),
    SOURCE_BINLOG_DISABLED("the source does not write a binary log"),
    BINLOG_FORMAT_STATEMENT("the source logs statements, not rows");

    private final String title;

    ReplicationConfigCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlReplicationConfig.NOTE;
    }
}
