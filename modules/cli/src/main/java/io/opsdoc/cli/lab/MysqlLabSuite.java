package io.opsdoc.cli.lab;

import io.opsdoc.core.Report;
import io.opsdoc.lab.MariaDbReplicationLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** mysql-replication against a real MariaDB primary and replica. */
final class MysqlLabSuite implements LabSuite {
    private MariaDbReplicationLab lab;

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public String description() {
        return "a MariaDB primary and replica (the first run unpacks the server, ~5-20 s)";
    }

    @Override
    public String start() {
        lab = MariaDbReplicationLab.start();
        return "primary " + lab.host() + ":" + lab.primaryPort() + ", replica " + lab.host() + ":" + lab.replicaPort();
    }

    @Override
    public void heal() {
        lab.heal();
    }

    @Override
    public void close() {
        if (lab != null) {
            lab.close();
        }
    }

    @Override
    public List<LabScenario> scenarios() {
        return List.of(
                fault("healthy", "healthy replica: both threads running, caught up, read_only ON", null, () -> { }),
                fault("sql-thread-stopped", "an operator ran STOP SLAVE SQL_THREAD and forgot it", "SQL_THREAD_STOPPED",
                        () -> lab.stopSqlThread()),
                fault("io-thread-stopped", "an operator ran STOP SLAVE IO_THREAD", "IO_THREAD_STOPPED", () -> lab.stopIoThread()),
                fault("duplicate-key", "a row was written directly on the replica, then the source wrote the same key",
                        "SQL_ERROR", () -> lab.duplicateKeyConflict()),
                fault("missing-row", "a row was deleted on the replica, then the source updated it", "SQL_ERROR",
                        () -> lab.missingRowConflict()),
                fault("wrong-replication-password", "the replication user's password no longer matches",
                        "IO_THREAD_CONNECTING", () -> lab.wrongReplicationPassword()),
                fault("source-unreachable", "the replica points at a source port where nothing listens",
                        "IO_THREAD_CONNECTING", () -> lab.sourceUnreachable()),
                lag("lag-warning", "a transaction on the replica holds a lock the applier needs; the event is 45 s old",
                        "LAG_WARNING", 45),
                lag("lag-critical", "the same lock, with an event 400 s old", "LAG_CRITICAL", 400),
                fault("replica-writable", "someone turned read_only OFF on the replica", "REPLICA_WRITABLE",
                        () -> lab.replicaWritable()),
                fault("delayed-replica", "the replica is configured with MASTER_DELAY=3600 (intended)", "DELAYED_REPLICA",
                        () -> lab.configuredDelay(3600)),
                fault("no-gtid", "the replica was set up by binlog file and position, not GTID", "NO_GTID",
                        () -> lab.positionBasedReplication()),
                fault("replication-reset", "someone ran RESET SLAVE ALL: the replica is frozen in time", "NOT_A_REPLICA",
                        () -> lab.detachReplica()),
                new LabScenario("monitor-without-privilege", "the monitoring user has no SLAVE MONITOR grant",
                        "PERMISSION_DENIED", () -> check(lab.noPrivilegeUser(), lab.noPrivilegePassword())),
                new LabScenario("wrong-monitor-password", "the monitoring password is wrong", "AUTH_FAILED",
                        () -> check(lab.monitorUser(), "not-the-password")));
    }

    private LabScenario fault(String name, String description, String code, Runnable induce) {
        return new LabScenario(name, description, code, () -> {
            induce.run();
            return check(lab.monitorUser(), lab.monitorPassword());
        });
    }

    private LabScenario lag(String name, String description, String code, int eventAgeSeconds) {
        return new LabScenario(name, description, code, () -> {
            try (var held = lab.holdApplierBehind(Duration.ofSeconds(eventAgeSeconds))) {
                return check(lab.monitorUser(), lab.monitorPassword());
            }
        });
    }

    private Report check(String user, String password) {
        return LabRun.check("mysql-replication", "mysql://" + user + "@" + lab.host() + ":" + lab.replicaPort(), Map.of(),
                password, Duration.ofSeconds(10));
    }
}
