package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-replication, each a section of the note mysql/replication. */
enum ReplicationCode implements CheckCode {
    NOT_A_REPLICA("no replication is configured on this server"),
    IO_THREAD_STOPPED("the I/O thread is not running"),
    IO_THREAD_CONNECTING("the I/O thread cannot connect to the source"),
    SQL_THREAD_STOPPED("the SQL (applier) thread was stopped"),
    SQL_ERROR("the SQL (applier) thread stopped on an error"),
    LAG_WARNING("replication lag above the warning threshold"),
    LAG_CRITICAL("replication lag above the critical threshold"),
    LAG_UNKNOWN("the server cannot tell the lag (NULL)"),
    RELAY_APPLY_BEHIND("received events not yet applied"),
    REPLICA_WRITABLE("the replica accepts writes"),
    DELAYED_REPLICA("the replica is intentionally delayed"),
    NO_GTID("replication does not use GTID positioning");

    private final String title;

    ReplicationCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlReplication.NOTE;
    }
}
