package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-durability, each a section of its note. */
enum DurabilityCode implements CheckCode {
    REDO_FLUSH_NOT_DURABLE("innodb_flush_log_at_trx_commit is not 1: committed transactions can be lost in a crash"),
    BINLOG_SYNC_NOT_DURABLE("sync_binlog is not 1: the binlog can lose or diverge from committed transactions in a crash");

    private final String title;

    DurabilityCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlDurability.NOTE;
    }
}
