package io.opsdoc.lab.mysql;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The MySQL family against a real MariaDB primary and replica: mysql-replication here, read as the 'monitor' user that
 * holds only what {@code opsdoc grants mysql-replication} prints, and the server-level checks in {@link ServerScenarios}.
 */
public final class MysqlScenarios implements ScenarioSet<MariaDbReplicationLab> {

    @Override
    public String system() {
        return "mysql";
    }

    @Override
    public String description() {
        return "a MariaDB primary and replica (the first run unpacks the server, ~5-20 s)";
    }

    @Override
    public List<LabVariant<MariaDbReplicationLab>> variants() {
        return List.of(LabVariant.only(MariaDbReplicationLab::start, MariaDbReplicationLab::shared));
    }

    @Override
    public Map<String, String> recordedFactsOnly() {
        return Map.of("mysql-replication-config#SOURCE_BINLOG_DISABLED", "log_bin cannot be changed at runtime: turning "
                + "the binlog off needs a restart of the lab's primary without --log-bin, which would break the shared "
                + "replication pair every other scenario uses; evaluated on recorded MySQL 8.4 / MariaDB facts");
    }

    @Override
    public List<Scenario<MariaDbReplicationLab>> scenarios() {
        List<Scenario<MariaDbReplicationLab>> all = new ArrayList<>(replication());
        all.addAll(ServerScenarios.all());
        all.addAll(BackupScenarios.all());
        all.addAll(FailoverScenarios.all()); // last: they start a second replica
        return all;
    }

    private static List<Scenario<MariaDbReplicationLab>> replication() {
        return List.of(
                replica("healthy", "healthy replica: both threads running, caught up, read_only ON").healthy()
                        .metrics("lag_seconds", "relay_read_position", "relay_exec_position").build(),
                replica("sql-thread-stopped", "an operator ran STOP SLAVE SQL_THREAD and forgot it")
                        .breaks(MariaDbReplicationLab::stopSqlThread)
                        .expect(code("SQL_THREAD_STOPPED").severity(CRITICAL).evidence("Slave_SQL_Running", "No"))
                        .expect(code("LAG_UNKNOWN").evidence("Seconds_Behind_Master", null))
                        .absent("SQL_ERROR", "IO_THREAD_STOPPED").build(),
                replica("io-thread-stopped", "an operator ran STOP SLAVE IO_THREAD")
                        .breaks(MariaDbReplicationLab::stopIoThread)
                        .expect(code("IO_THREAD_STOPPED").evidence("Slave_IO_Running", "No"))
                        .absent("SQL_THREAD_STOPPED", "IO_THREAD_CONNECTING").build(),
                replica("duplicate-key", "a row was written directly on the replica, then the source wrote the same key")
                        .breaks(ApplierFaults::duplicateKeyConflict)
                        .expect(code("SQL_ERROR").severity(CRITICAL).evidence("Last_SQL_Errno", 1062)
                                .says("duplicate key", "wrote directly on the replica"))
                        .absent("SQL_THREAD_STOPPED").build(),
                replica("missing-row", "a row was deleted on the replica, then the source updated it")
                        .breaks(ApplierFaults::missingRowConflict)
                        .expect(code("SQL_ERROR").evidence("Last_SQL_Errno", 1032).says("row not found")).build(),
                replica("wrong-replication-password", "the replication user's password no longer matches")
                        .breaks(MariaDbReplicationLab::wrongReplicationPassword)
                        .expect(code("IO_THREAD_CONNECTING").severity(CRITICAL).evidence("Slave_IO_Running", "Connecting")
                                .evidence("Last_IO_Errno", 1045).says("credentials")).build(),
                replica("source-unreachable", "the replica points at a source port where nothing listens")
                        .breaks(MariaDbReplicationLab::sourceUnreachable)
                        .expect(code("IO_THREAD_CONNECTING").evidence("Last_IO_Errno", 2003)
                                .says("cannot connect to the source")).build(),
                replica("lag-warning", "a transaction on the replica holds a lock the applier needs; the event is 45 s old")
                        .holds(lab -> ApplierFaults.holdApplierBehind(lab, Duration.ofSeconds(45)))
                        .expect(code("LAG_WARNING").severity(WARNING))
                        .expect(code("RELAY_APPLY_BEHIND").severity(WARNING).positive("unapplied_bytes"))
                        .absent("LAG_CRITICAL", "SQL_THREAD_STOPPED", "SQL_ERROR").build(),
                replica("lag-critical", "the same lock, with an event 400 s old")
                        .holds(lab -> ApplierFaults.holdApplierBehind(lab, Duration.ofSeconds(400)))
                        .expect(code("LAG_CRITICAL").severity(CRITICAL)).absent("LAG_WARNING").build(),
                replica("replica-writable", "someone turned read_only OFF on the replica")
                        .breaks(MariaDbReplicationLab::replicaWritable)
                        .expect(code("REPLICA_WRITABLE").severity(WARNING).evidence("read_only", "OFF")).build(),
                replica("delayed-replica", "the replica is configured with MASTER_DELAY=3600 (intended)")
                        .breaks(lab -> lab.configuredDelay(3600)).healthy()
                        .expect(code("DELAYED_REPLICA").severity(INFO).evidence("SQL_Delay", 3600))
                        .absent("LAG_WARNING", "LAG_CRITICAL").build(),
                replica("no-gtid", "the replica was set up by binlog file and position, not GTID")
                        .breaks(MariaDbReplicationLab::positionBasedReplication).healthy()
                        .expect(code("NO_GTID").severity(INFO).evidence("Using_Gtid", "No")).build(),
                replica("replication-reset", "someone ran RESET SLAVE ALL: the replica is frozen in time")
                        .breaks(MariaDbReplicationLab::detachReplica)
                        .expect(code("NOT_A_REPLICA").severity(CRITICAL)).absent("LAG_UNKNOWN", "NO_GTID").build(),
                Scenario.<MariaDbReplicationLab>of("primary-not-a-replica",
                                "the check runs on the primary, told it is not a replica")
                        .checks("mysql-replication").target(MariaDbReplicationLab::primaryUri)
                        .password(MariaDbReplicationLab::monitorPassword).param("expect-replica", "false").healthy()
                        .expect(code("NOT_A_REPLICA").severity(INFO)).build(),
                Scenario.<MariaDbReplicationLab>of("monitor-without-privilege",
                                "the monitoring user has no SLAVE MONITOR grant")
                        .checks("mysql-replication")
                        .target(lab -> "mysql://" + lab.noPrivilegeUser() + "@" + lab.host() + ":" + lab.replicaPort())
                        .password(MariaDbReplicationLab::noPrivilegePassword)
                        .expect(code("PERMISSION_DENIED").severity(UNKNOWN).says("opsdoc grants mysql-replication"))
                        .build(),
                replica("wrong-monitor-password", "the monitoring password is wrong").password(lab -> "not-the-password")
                        .expect(code("AUTH_FAILED").severity(UNKNOWN).says("access denied for user 'monitor'")).build());
    }

    /** The usual shape: mysql-replication on the replica as 'monitor'. */
    private static Scenario.Builder<MariaDbReplicationLab> replica(String id, String story) {
        return Scenario.<MariaDbReplicationLab>of(id, story).checks("mysql-replication")
                .target(MariaDbReplicationLab::replicaUri).password(MariaDbReplicationLab::monitorPassword);
    }
}
