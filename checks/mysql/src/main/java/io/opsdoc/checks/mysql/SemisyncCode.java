package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-semisync, each a section of its note. */
enum SemisyncCode implements CheckCode {
    SEMISYNC_DEGRADED_TO_ASYNC("semi-sync is enabled but the source fell back to asynchronous replication"),
    SEMISYNC_NO_ACK_CLIENTS("semi-sync is enabled but no replica is connected to acknowledge");

    private final String title;

    SemisyncCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlSemisync.NOTE;
    }
}
