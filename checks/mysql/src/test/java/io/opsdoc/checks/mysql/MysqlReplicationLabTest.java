package io.opsdoc.checks.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.lab.MariaDbReplicationLab;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every finding code of mysql-replication, produced by inducing the real fault on a real MariaDB primary and
 * replica, and absent on the healthy replica. The check runs as 'monitor', which holds only SLAVE MONITOR: the
 * documented least privilege.
 */
class MysqlReplicationLabTest {
    private static MariaDbReplicationLab lab;
    private final Runner runner = new Runner();
    private final MysqlReplication check = new MysqlReplication();

    @BeforeAll
    static void startLab() {
        lab = MariaDbReplicationLab.shared();
    }

    @BeforeEach
    void healLab() {
        lab.heal();
    }

    private Report check(String uri, String password, Map<String, String> params) {
        return runner.run(check, Target.parse(uri), Parameters.resolve(check.id(), check.parameters(), params),
                Optional.of(Secret.of(password, "test")), Duration.ofSeconds(10)).report();
    }

    private Report checkReplica() {
        return check(lab.replicaUri(), lab.monitorPassword(), Map.of());
    }

    private static List<String> codes(Report r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    private static Finding finding(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + codes(r)));
    }

    @Test
    void healthyReplicaHasNoFindings() throws Exception {
        Report r = checkReplica();
        assertThat(r.findings()).isEmpty();
        assertThat(r.status()).isEqualTo(Severity.OK);
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("lag_seconds")).extracting(Metric::value).containsExactly(0.0);
        assertThat(r.metrics()).extracting(Metric::name).contains("relay_read_position", "relay_exec_position");
        try (Connection c = lab.adminConnection(true); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GRANTS FOR '" + lab.monitorUser() + "'@'127.0.0.1'")) {
            StringBuilder grants = new StringBuilder();
            while (rs.next()) {
                grants.append(rs.getString(1)).append('\n');
            }
            // the healthy run above used exactly this privilege and nothing more
            assertThat(grants.toString()).contains("SLAVE MONITOR").doesNotContain("SUPER").doesNotContain("ALL PRIVILEGES");
        }
    }

    @Test
    void sqlThreadStoppedByHand() {
        lab.stopSqlThread();
        Report r = checkReplica();
        assertThat(finding(r, "SQL_THREAD_STOPPED").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding(r, "SQL_THREAD_STOPPED").evidence()).containsEntry("Slave_SQL_Running", "No");
        assertThat(finding(r, "LAG_UNKNOWN").evidence()).containsEntry("Seconds_Behind_Master", null);
        assertThat(codes(r)).doesNotContain("SQL_ERROR", "IO_THREAD_STOPPED");
    }

    @Test
    void ioThreadStopped() {
        lab.stopIoThread();
        Report r = checkReplica();
        assertThat(finding(r, "IO_THREAD_STOPPED").evidence()).containsEntry("Slave_IO_Running", "No");
        assertThat(codes(r)).doesNotContain("SQL_THREAD_STOPPED", "IO_THREAD_CONNECTING");
    }

    @Test
    void duplicateKeyWrittenOnTheReplica() {
        lab.duplicateKeyConflict();
        Report r = checkReplica();
        Finding f = finding(r, "SQL_ERROR");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("Last_SQL_Errno", 1062L);
        assertThat(f.summary()).contains("duplicate key", "wrote directly on the replica");
        assertThat(codes(r)).doesNotContain("SQL_THREAD_STOPPED");
    }

    @Test
    void rowMissingOnTheReplica() {
        lab.missingRowConflict();
        Finding f = finding(checkReplica(), "SQL_ERROR");
        assertThat(f.evidence()).containsEntry("Last_SQL_Errno", 1032L);
        assertThat(f.summary()).contains("row not found");
    }

    @Test
    void wrongReplicationPassword() {
        lab.wrongReplicationPassword();
        Finding f = finding(checkReplica(), "IO_THREAD_CONNECTING");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("Slave_IO_Running", "Connecting").containsEntry("Last_IO_Errno", 1045L);
        assertThat(f.summary()).contains("credentials");
    }

    @Test
    void sourceUnreachable() {
        lab.sourceUnreachable();
        Finding f = finding(checkReplica(), "IO_THREAD_CONNECTING");
        assertThat(f.evidence()).containsEntry("Last_IO_Errno", 2003L);
        assertThat(f.summary()).contains("cannot connect to the source");
    }

    @Test
    void applierBlockedByALockLagsAndHasReceivedMoreThanItApplied() {
        try (var held = lab.holdApplierBehind(Duration.ofSeconds(45))) {
            Report r = checkReplica();
            assertThat(finding(r, "LAG_WARNING").evidence().get("Seconds_Behind_Master")).asString().isNotEqualTo("0");
            assertThat(codes(r)).doesNotContain("LAG_CRITICAL", "SQL_THREAD_STOPPED", "SQL_ERROR");
            Finding behind = finding(r, "RELAY_APPLY_BEHIND");
            assertThat(behind.severity()).isEqualTo(Severity.WARNING);
            assertThat((Long) behind.evidence().get("unapplied_bytes")).isPositive();
        }
    }

    @Test
    void lagBeyondTheCriticalThreshold() {
        try (var held = lab.holdApplierBehind(Duration.ofSeconds(400))) {
            Report r = checkReplica();
            assertThat(finding(r, "LAG_CRITICAL").severity()).isEqualTo(Severity.CRITICAL);
            assertThat(codes(r)).doesNotContain("LAG_WARNING");
        }
    }

    @Test
    void replicaLeftWritable() {
        lab.replicaWritable();
        Finding f = finding(checkReplica(), "REPLICA_WRITABLE");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("read_only", "OFF");
    }

    @Test
    void intendedDelayIsInfoNotLag() {
        lab.configuredDelay(3600);
        Report r = checkReplica();
        assertThat(finding(r, "DELAYED_REPLICA").evidence()).containsEntry("SQL_Delay", 3600L);
        assertThat(codes(r)).doesNotContain("LAG_WARNING", "LAG_CRITICAL");
        assertThat(r.status()).isEqualTo(Severity.INFO);
        assertThat(r.status().exitCode()).isZero();
    }

    @Test
    void replicationWithoutGtid() {
        lab.positionBasedReplication();
        Report r = checkReplica();
        assertThat(codes(r)).containsExactly("NO_GTID");
        Finding f = finding(r, "NO_GTID");
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsEntry("Using_Gtid", "No");
    }

    @Test
    void replicationResetLeavesNoReplica() {
        lab.detachReplica();
        Report r = checkReplica();
        assertThat(finding(r, "NOT_A_REPLICA").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(r.findings()).hasSize(1);
    }

    @Test
    void thePrimaryIsNotAReplica() {
        Report r = check(lab.primaryUri(), lab.monitorPassword(), Map.of("expect-replica", "false"));
        assertThat(finding(r, "NOT_A_REPLICA").severity()).isEqualTo(Severity.INFO);
        assertThat(r.status().exitCode()).isZero();
    }

    @Test
    void aUserWithoutTheGrantGetsPermissionDenied() {
        Report r = check("mysql://" + lab.noPrivilegeUser() + "@" + lab.host() + ":" + lab.replicaPort(),
                lab.noPrivilegePassword(), Map.of());
        Finding f = finding(r, "PERMISSION_DENIED");
        assertThat(f.severity()).isEqualTo(Severity.UNKNOWN);
        assertThat(f.summary()).contains("opsdoc grants mysql-replication");
    }

    @Test
    void aWrongPasswordIsAuthFailedAndNeverEchoed() {
        Report r = check(lab.replicaUri(), "wrong-password-123", Map.of());
        Finding f = finding(r, "AUTH_FAILED");
        assertThat(f.summary()).contains("access denied for user 'monitor'").doesNotContain("wrong-password-123");
        assertThat(r.status()).isEqualTo(Severity.UNKNOWN);
    }
}
