package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-slow-queries, each a section of its note. */
enum SlowQueriesCode implements CheckCode {
    SLOW_QUERIES_INCREASING("queries slower than long_query_time ran during the window"),
    SLOW_LOG_DISABLED("the slow query log is off"),
    LONG_QUERY_TIME_HIGH("long_query_time is so high that slow queries go uncounted");

    private final String title;

    SlowQueriesCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlSlowQueries.NOTE;
    }
}
