package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.PersistenceCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;

/** Persistence: failed snapshots and rewrites, no persistence where it matters, fsync policy, unsaved changes, forks. */
public final class RedisPersistence extends RedisCheck {
    public static final String ID = "redis-persistence";
    static final String NOTE = Rules.PERSISTENCE_NOTE;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("snapshot-max-age", ParameterType.DURATION, "24h",
                    "with RDB as the only persistence: changes older than this not in a snapshot are a finding"),
            new ParameterSpec("fork-warning", ParameterType.DURATION, "100ms", "a fork longer than this stalled clients"));

    private static final List<GrantSet> GRANTS = acl("INFO and CONFIG GET only read; CLIENT SETNAME names the probe's "
            + "connection.", "info", "config|get", "client|setname");

    public RedisPersistence() {
        super(ID, "Does Redis persist its data, and did the last save work?",
                PARAMETERS, PersistenceCode.class, GRANTS);
    }

    @Override
    public RedisFacts collect(CheckContext context) throws Exception {
        return collect(context, new CollectRequest(false, 0, false, false, false, false,
                List.of("save", "appendonly", "appendfsync", "stop-writes-on-bgsave-error", "dir")), null);
    }

    @Override
    public void evaluate(RedisFacts f, Parameters p, Evaluation.Builder out) {
        Map<String, String> i = f.info();
        String save = f.config().getOrDefault("save", "");
        boolean rdb = !save.isBlank();
        boolean aof = "1".equals(i.get("aof_enabled"));
        if ("err".equals(i.get("rdb_last_bgsave_status"))) {
            boolean stopsWrites = rdb && "yes".equals(f.config().get("stop-writes-on-bgsave-error"));
            out.finding(BGSAVE_FAILED, Severity.CRITICAL, "the last RDB snapshot (BGSAVE) failed"
                    + (stopsWrites ? "; with stop-writes-on-bgsave-error yes the server refuses every write (MISCONF) "
                    + "until a snapshot succeeds" : "; the data on disk is older than it should be")
                    + ". The reason is in the Redis log (disk full, permissions, fork failed)",
                    Evidence.of("rdb_last_bgsave_status", "err", "rdb_last_save_time", i.get("rdb_last_save_time"),
                            "rdb_changes_since_last_save", i.get("rdb_changes_since_last_save"), "save", save,
                            "stop-writes-on-bgsave-error", f.config().get("stop-writes-on-bgsave-error"))
                            .putIfPresent("dir", f.config().get("dir")));
        }
        if (aof && "err".equals(i.get("aof_last_write_status"))) {
            out.finding(AOF_WRITE_FAILED, Severity.CRITICAL, "the last write of commands to the append-only file failed "
                    + "(disk full, quota or file size limit, I/O error): until a write succeeds the server refuses every "
                    + "write command with MISCONF, and what it has accepted since is not on disk; the reason is in the "
                    + "Redis log",
                    Evidence.of("aof_last_write_status", "err", "appendfsync", f.config().get("appendfsync"))
                            .putIfPresent("aof_current_size", i.get("aof_current_size"))
                            .putIfPresent("aof_delayed_fsync", i.get("aof_delayed_fsync"))
                            .putIfPresent("dir", f.config().get("dir")));
        }
        if (aof && "err".equals(i.get("aof_last_bgrewrite_status"))) {
            out.finding(AOF_REWRITE_FAILED, Severity.WARNING, "the last AOF rewrite failed: the AOF keeps growing, and a "
                    + "restart takes longer to replay it; the reason is in the Redis log",
                    Evidence.of("aof_last_bgrewrite_status", "err", "aof_last_write_status", i.get("aof_last_write_status"))
                            .putIfPresent("aof_current_size", i.get("aof_current_size"))
                            .putIfPresent("dir", f.config().get("dir")));
        }
        long replicas = Info.longValue(i, "connected_slaves", 0);
        boolean master = "master".equals(i.get("role"));
        if (!rdb && !aof) {
            if (master && replicas > 0) {
                out.finding(MASTER_WITHOUT_PERSISTENCE, Severity.WARNING, "this master persists nothing (save \"\", "
                        + "appendonly no) and " + replicas + " replica(s) sync from it: if it restarts (automatically, by a "
                        + "supervisor) it comes back empty and the replicas copy the empty data set, erasing theirs",
                        Evidence.of("save", save, "appendonly", f.config().get("appendonly"), "role", "master",
                                "connected_slaves", replicas));
            } else {
                out.finding(NO_PERSISTENCE, Severity.INFO, "neither RDB snapshots nor AOF are enabled: a restart loses every "
                        + "key (fine for a pure cache)",
                        Evidence.of("save", save, "appendonly", f.config().get("appendonly"), "role", i.get("role")));
            }
        }
        String fsync = f.config().get("appendfsync");
        if (aof && "always".equals(fsync)) {
            out.finding(APPENDFSYNC_ALWAYS, Severity.INFO, "appendfsync always: every write waits for an fsync of the AOF, "
                    + "so write latency is the disk's fsync latency",
                    Evidence.of("appendfsync", fsync, "aof_delayed_fsync", i.get("aof_delayed_fsync")));
        } else if (aof && "no".equals(fsync)) {
            out.finding(APPENDFSYNC_NO, Severity.INFO, "appendfsync no: the kernel decides when AOF data reaches the disk "
                    + "(typically within 30 s), so a power loss or kernel crash can lose that much",
                    Evidence.of("appendfsync", fsync));
        }
        if (rdb && !aof) {
            long changes = Info.longValue(i, "rdb_changes_since_last_save", 0);
            long lastSave = Info.longValue(i, "rdb_last_save_time", 0);
            long now = RedisTimeouts.serverTimeSeconds(i);
            long age = now > 0 && lastSave > 0 ? now - lastSave : -1;
            if (changes > 0 && age >= 0 && age > p.duration("snapshot-max-age").toSeconds()) {
                out.finding(SNAPSHOT_STALE, Severity.WARNING, changes + " changes are in no snapshot, and the last one is "
                        + age + " s old (threshold " + p.duration("snapshot-max-age").toSeconds() + " s): RDB is the only "
                        + "persistence, so a crash now loses all of them",
                        Evidence.of("rdb_changes_since_last_save", changes, "rdb_last_save_time", lastSave,
                                "snapshot_age_s", age, "save", save, "appendonly", "no"));
            }
        }
        Rules.forks(f, p.duration("fork-warning"), out, SLOW_FORK, BACKGROUND_SAVE_RUNNING);
    }
}
