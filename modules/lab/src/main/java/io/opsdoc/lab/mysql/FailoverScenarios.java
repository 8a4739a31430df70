package io.opsdoc.lab.mysql;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.Ports;
import io.opsdoc.lab.scenario.Scenario;
import java.util.List;
import java.util.function.Function;

/**
 * mysql-failover-readiness against the lab's primary, its first replica (log_slave_updates ON) and a second replica
 * started for these scenarios (MariaDB's default log_slave_updates OFF), read as 'monitor' (SLAVE MONITOR only). Last
 * in the set: the second replica's connection to the primary must not count in the connection scenarios.
 */
final class FailoverScenarios {
    private static final String CHECK = "mysql-failover-readiness";

    private FailoverScenarios() {
    }

    static List<Scenario<MariaDbReplicationLab>> all() {
        return List.of(
                failover("failover-healthy", "one caught-up replica that logs what it applies",
                        FailoverFaults::firstReplica).healthy().metrics("replicas_replicating", "missing_vs_source")
                        .expect(code("BEST_CANDIDATE").severity(INFO).evidence("missing_vs_source", 0))
                        .absent("NO_CAUGHT_UP_CANDIDATE", "CANNOT_BECOME_SOURCE").build(),
                failover("failover-reporting-replica", "a second replica runs MariaDB's default log_slave_updates=OFF",
                        FailoverFaults::bothReplicas)
                        .expect(code("CANNOT_BECOME_SOURCE").severity(WARNING).evidence("log_slave_updates", "OFF"))
                        .expect(code("BEST_CANDIDATE").severity(INFO))
                        .absent("REPLICA_MISSING_TRANSACTIONS", "NO_PROMOTABLE_REPLICA").build(),
                failover("failover-replica-behind", "the second replica's SQL thread was stopped while the source "
                        + "committed " + FailoverFaults.WRITES + " transactions", FailoverFaults::bothReplicas)
                        .breaks(FailoverFaults::secondReplicaBehind)
                        .expect(code("REPLICA_MISSING_TRANSACTIONS").severity(WARNING)
                                .evidence("missing_transactions", FailoverFaults.WRITES).says("SQL thread is not running"))
                        .expect(code("BEST_CANDIDATE").severity(INFO).evidence("missing_vs_source", 0))
                        .absent("NO_CAUGHT_UP_CANDIDATE").build(),
                failover("failover-none-caught-up", "the only candidate's SQL thread was stopped while the source "
                        + "committed " + FailoverFaults.WRITES + " transactions", FailoverFaults::firstReplica)
                        .breaks(FailoverFaults::firstReplicaBehind)
                        .expect(code("NO_CAUGHT_UP_CANDIDATE").severity(WARNING)
                                .evidence("missing_transactions", FailoverFaults.WRITES))
                        .absent("REPLICA_MISSING_TRANSACTIONS").build(),
                failover("failover-errant-transaction", "an operator with SUPER wrote a row directly on the "
                        + "replica, with the binlog on", FailoverFaults::firstReplica)
                        .holds(FailoverFaults::errantWriteOnReplica)
                        .expect(code("REPLICAS_DIVERGED").severity(WARNING).evidence("errant_count", 1)
                                .evidence("compared", "gtid_binlog_state").says("never had", "wrote on the replica"))
                        .expect(code("BEST_CANDIDATE").severity(INFO))
                        .absent("REPLICA_MISSING_TRANSACTIONS", "NO_CAUGHT_UP_CANDIDATE").build(),
                failover("failover-no-promotable", "the only replica listed does not log what it replicates",
                        FailoverFaults::secondReplica)
                        .expect(code("NO_PROMOTABLE_REPLICA").severity(CRITICAL))
                        .expect(code("CANNOT_BECOME_SOURCE").severity(WARNING)).absent("BEST_CANDIDATE").build(),
                failover("failover-replica-reset", "someone ran RESET SLAVE ALL on the only candidate",
                        FailoverFaults::firstReplica).breaks(MariaDbReplicationLab::detachReplica)
                        .expect(code("NOT_REPLICATING_FROM_SOURCE").severity(WARNING).evidence("rows", 0))
                        .expect(code("NO_REPLICA").severity(CRITICAL).says("none of the 1 listed")).build(),
                failover("mha-manager-down", "masterha_manager was started for the pair and killed (a crash, an OOM "
                        + "kill): no MHA manager watches the source", FailoverFaults::firstReplica)
                        .param("mha-conf", MhaFaults::conf).breaks(MhaFaults::managerKilled)
                        .expect(code("MHA_MANAGER_DOWN").severity(CRITICAL).evidence("mha_status", "NOT_RUNNING")
                                .evidence("exit_status", 2).says("no masterha_manager runs"))
                        .expect(code("BEST_CANDIDATE").severity(INFO)).absent("MHA_REPL_CHECK_FAILED").build(),
                failover("mha-manager-never-started-ssh", "the MHA manager host is reached over ssh:// as an "
                        + "unprivileged user in the MHA group, and no manager was ever started there",
                        FailoverFaults::firstReplica)
                        .param("mha-conf", MhaFaults::sshConf).param("mha-host", MhaFaults::sshHost)
                        .expect(code("MHA_MANAGER_DOWN").severity(CRITICAL).evidence("mha_status", "NOT_RUNNING")
                                .says("no masterha_manager runs"))
                        .absent("PROBE_FAILED", "AUTH_FAILED", "PERMISSION_DENIED").build(),
                failover("mha-repl-check-replica-stopped", "the replica's SQL thread was stopped, and the check also "
                        + "runs masterha_check_repl", FailoverFaults::firstReplica)
                        .param("mha-conf", MhaFaults::conf).param("mha-check-repl", "true")
                        .breaks(MariaDbReplicationLab::stopSqlThread)
                        .expect(code("MHA_REPL_CHECK_FAILED").severity(WARNING).evidence("exit_status", 1)
                                .says("SQL Thread is stopped"))
                        .build(),
                failover("failover-none-listed", "the check was given no replicas", lab -> "")
                        .expect(code("NO_REPLICA").severity(CRITICAL).says("no replica was listed")).build(),
                failover("failover-replica-down", "a listed replica's port has nothing listening",
                        lab -> FailoverFaults.firstReplica(lab) + ",127.0.0.1:" + Ports.closedPort())
                        .expect(code("REPLICA_UNREADABLE").severity(WARNING).evidence("probe_error", "UNREACHABLE"))
                        .expect(code("BEST_CANDIDATE").severity(INFO)).build(),
                Scenario.<MariaDbReplicationLab>of("failover-without-privilege",
                                "the monitoring user lacks SLAVE MONITOR on the replicas")
                        .checks(CHECK).target(lab -> "mysql://" + lab.noPrivilegeUser() + "@" + lab.host() + ":"
                                + lab.primaryPort())
                        .password(MariaDbReplicationLab::noPrivilegePassword)
                        .param("replicas", FailoverFaults::firstReplica)
                        .expect(code("REPLICA_UNREADABLE").severity(WARNING).evidence("probe_error", "PERMISSION_DENIED")
                                .says("opsdoc grants mysql-failover-readiness"))
                        .expect(code("NO_REPLICA").severity(CRITICAL)).build());
    }

    /** The check on the primary as 'monitor', with the given replicas listed. */
    private static Scenario.Builder<MariaDbReplicationLab> failover(String id, String story,
            Function<MariaDbReplicationLab, String> replicas) {
        return Scenario.<MariaDbReplicationLab>of(id, story).checks(CHECK).target(MariaDbReplicationLab::primaryUri)
                .password(MariaDbReplicationLab::monitorPassword).param("replicas", replicas);
    }
}
