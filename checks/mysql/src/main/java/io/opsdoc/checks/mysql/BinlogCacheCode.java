package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-binlog-cache, each a section of its note. */
enum BinlogCacheCode implements CheckCode {
    BINLOG_CACHE_SPILLS_TO_DISK("transactions overflow binlog_cache_size into temporary files");

    private final String title;

    BinlogCacheCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlBinlogCache.NOTE;
    }
}
