package io.opsdoc.cli;

import io.opsdoc.lab.MariaDbReplicationLab;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One fault the lab can induce for real, and the finding code the check must report for it.
 *
 * @param induce  breaks the lab; returns what undoes anything the lab's heal() cannot (a held lock), or a no-op
 * @param asMonitor false when the scenario is about the check's own credentials (it picks the user itself)
 */
record LabScenario(String name, String description, String expectedCode, Function<MariaDbReplicationLab, AutoCloseable> induce,
        User user) {

    enum User { MONITOR, NO_PRIVILEGE, WRONG_PASSWORD }

    private static final AutoCloseable NOTHING = () -> { };

    static List<LabScenario> all() {
        return List.of(
                of("healthy", "healthy replica: both threads running, caught up, read_only ON", null, lab -> NOTHING),
                of("sql-thread-stopped", "an operator ran STOP SLAVE SQL_THREAD and forgot it", "SQL_THREAD_STOPPED",
                        lab -> run(lab::stopSqlThread)),
                of("io-thread-stopped", "an operator ran STOP SLAVE IO_THREAD", "IO_THREAD_STOPPED",
                        lab -> run(lab::stopIoThread)),
                of("duplicate-key", "a row was written directly on the replica, then the source wrote the same key",
                        "SQL_ERROR", lab -> run(lab::duplicateKeyConflict)),
                of("missing-row", "a row was deleted on the replica, then the source updated it", "SQL_ERROR",
                        lab -> run(lab::missingRowConflict)),
                of("wrong-replication-password", "the replication user's password no longer matches",
                        "IO_THREAD_CONNECTING", lab -> run(lab::wrongReplicationPassword)),
                of("source-unreachable", "the replica points at a source port where nothing listens",
                        "IO_THREAD_CONNECTING", lab -> run(lab::sourceUnreachable)),
                of("lag-warning", "a transaction on the replica holds a lock the applier needs; the event is 45 s old",
                        "LAG_WARNING", lab -> lab.holdApplierBehind(Duration.ofSeconds(45))),
                of("lag-critical", "the same lock, with an event 400 s old", "LAG_CRITICAL",
                        lab -> lab.holdApplierBehind(Duration.ofSeconds(400))),
                of("replica-writable", "someone turned read_only OFF on the replica", "REPLICA_WRITABLE",
                        lab -> run(lab::replicaWritable)),
                of("delayed-replica", "the replica is configured with MASTER_DELAY=3600 (intended)", "DELAYED_REPLICA",
                        lab -> run(() -> lab.configuredDelay(3600))),
                of("no-gtid", "the replica was set up by binlog file and position, not GTID", "NO_GTID",
                        lab -> run(lab::positionBasedReplication)),
                of("replication-reset", "someone ran RESET SLAVE ALL: the replica is frozen in time", "NOT_A_REPLICA",
                        lab -> run(lab::detachReplica)),
                new LabScenario("monitor-without-privilege", "the monitoring user has no SLAVE MONITOR grant",
                        "PERMISSION_DENIED", lab -> NOTHING, User.NO_PRIVILEGE),
                new LabScenario("wrong-monitor-password", "the monitoring password is wrong", "AUTH_FAILED",
                        lab -> NOTHING, User.WRONG_PASSWORD));
    }

    private static LabScenario of(String name, String description, String code, Function<MariaDbReplicationLab, AutoCloseable> f) {
        return new LabScenario(name, description, code, f, User.MONITOR);
    }

    private static AutoCloseable run(Runnable r) {
        r.run();
        return NOTHING;
    }
}
