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
import io.opsdoc.lab.mysql.MariaDbReplicationLab;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the scenarios ({@code MysqlScenarios}) cannot say as data: the monitor user's privileges, and secrets that
 * must never be echoed. Every fault-to-code promise is a scenario, run by {@link MysqlScenariosTest}.
 */
@Tag("lab")
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
    void theHealthyRunNeedsOnlySlaveMonitor() throws Exception {
        Report r = checkReplica();
        assertThat(r.findings()).isEmpty();
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
    void aWrongPasswordIsNeverEchoed() {
        Report r = check(lab.replicaUri(), "wrong-password-123", Map.of());
        assertThat(r.findings().toString()).doesNotContain("wrong-password-123");
        assertThat(r.status()).isEqualTo(Severity.UNKNOWN);
    }
}
