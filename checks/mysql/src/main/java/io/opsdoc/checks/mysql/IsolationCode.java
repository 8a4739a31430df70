package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-isolation, each a section of its note. */
enum IsolationCode implements CheckCode {
    NON_DEFAULT_ISOLATION("the server-wide isolation level differs from the expected one"),
    DIRTY_READS_POSSIBLE("READ-UNCOMMITTED: transactions can read uncommitted changes");

    private final String title;

    IsolationCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlIsolation.NOTE;
    }
}
