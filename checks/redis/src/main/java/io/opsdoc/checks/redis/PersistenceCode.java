package io.opsdoc.checks.redis;

import io.opsdoc.core.CheckCode;

/** The finding codes of redis-persistence, each a section of the note redis/persistence. */
enum PersistenceCode implements CheckCode {
    BGSAVE_FAILED("the last RDB snapshot failed"),
    AOF_WRITE_FAILED("the last write to the AOF failed: writes are refused"),
    AOF_REWRITE_FAILED("the last AOF rewrite failed"),
    NO_PERSISTENCE("neither RDB snapshots nor AOF are enabled"),
    MASTER_WITHOUT_PERSISTENCE("a master that replicas sync from persists nothing"),
    APPENDFSYNC_ALWAYS("AOF fsyncs on every write"),
    APPENDFSYNC_NO("AOF leaves fsync to the kernel"),
    SNAPSHOT_STALE("changes not in any snapshot for too long (RDB only)"),
    SLOW_FORK(Rules.SLOW_FORK_TITLE),
    BACKGROUND_SAVE_RUNNING(Rules.BACKGROUND_SAVE_TITLE);

    private final String title;

    PersistenceCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return Rules.PERSISTENCE_NOTE;
    }
}
