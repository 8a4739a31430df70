package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-throughput, each a section of its note. */
enum ThroughputCode implements CheckCode {
    QPS_ABOVE_BASELINE("queries per second above the operator's baseline"),
    TPS_ABOVE_BASELINE("transactions per second above the operator's baseline");

    private final String title;

    ThroughputCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlThroughput.NOTE;
    }
}
