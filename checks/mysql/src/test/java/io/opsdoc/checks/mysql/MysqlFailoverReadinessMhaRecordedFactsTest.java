package io.opsdoc.checks.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MHA states the lab cannot reach (MHA 0.58 cannot monitor MariaDB on Debian 12, so no manager ever runs there):
 * masterha_check_status and masterha_check_repl output exactly as MHA 0.58 prints it (MHA::ManagerAdmin::check_status,
 * masterha_check_repl), with the exit statuses of MHA::ManagerConst.
 */
class MysqlFailoverReadinessMhaRecordedFactsTest {
    private static final String CONF = "/etc/masterha/app1.cnf";

    private static Evaluation evaluate(MhaFacts mha) {
        FailoverFacts.Server source = new FailoverFacts.Server("db1:3306", "10.11.6-MariaDB-log",
                Map.of("server_id", "1", "gtid_binlog_pos", "0-1-100", "log_bin", "ON"), null, List.of(), Map.of(),
                null, null);
        MysqlFailoverReadiness check = new MysqlFailoverReadiness();
        return Evaluation.of(check, "mysql://monitor@db1:3306", new FailoverFacts(source, List.of(), mha),
                Parameters.resolve(check.id(), check.parameters(), Map.of("mha-conf", CONF)));
    }

    private static MhaFacts status(int exit, String output) {
        return new MhaFacts("local:", CONF, new MhaFacts.Run(exit, MhaProbe.lines(output, false)), null, null, null);
    }

    private static List<Finding> mha(Evaluation e) {
        return e.findings().stream().filter(f -> "mha".equals(f.subject())).toList();
    }

    @Test
    void aRunningManagerIsNoFinding() {
        Evaluation e = evaluate(status(0, "app1 (pid:5309) is running(0:PING_OK), master:192.168.0.1\n"));
        assertThat(mha(e)).isEmpty();
        assertThat(e.metrics()).anyMatch(m -> m.name().equals("mha_status") && m.value() == 0);
    }

    @Test
    void aChildLeftBehindIsPartiallyRunning() {
        Evaluation e = evaluate(status(3, "Main process is not running, but child process is running on app1 (child "
                + "pid: 5311) (3:PARTIALLY_RUNNING). Check ps output for details and kill it.\n"));
        Finding f = mha(e).get(0);
        assertThat(f.code()).isEqualTo("MHA_MANAGER_DOWN");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("mha_status", "PARTIALLY_RUNNING").containsEntry("exit_status", 3);
    }

    @Test
    void aStartingMonitorIsOnlyAWarning() {
        Evaluation e = evaluate(status(10, "app1 monitoring program is now on initialization phase"
                + "(10:INITIALIZING_MONITOR). Wait for a while and try checking again.\n"));
        Finding f = mha(e).get(0);
        assertThat(f.code()).isEqualTo("MHA_MANAGER_DOWN");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("mha_status", "INITIALIZING_MONITOR");
    }

    @Test
    void aHungManagerIsTimestampOld() {
        Evaluation e = evaluate(status(32, "/var/log/masterha/app1/app1.master_status.health behinds 40 seconds!\n"
                + "app1 is running, but master_ping.health is too old(32:TIMESTAMP_OLD). Maybe process hangs? "
                + "master:192.168.0.1\n"));
        Finding f = mha(e).get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("mha_status", "TIMESTAMP_OLD");
    }

    @Test
    void aSourceThatStoppedAnsweringIsSaid() {
        Evaluation e = evaluate(status(20, "app1 master maybe down(20:PING_FAILING). master:192.168.0.1\n"
                + "Check /var/log/masterha/app1/manager.log for details.\n"));
        Finding f = mha(e).get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.summary()).contains("sees the source failing");
    }

    @Test
    void aMissingConfigurationIsUnknownNotDown() {
        Evaluation e = evaluate(status(1, "Got error on conf /etc/masterha/app1.cnf: /etc/masterha/app1.cnf not found!\n"
                + " at /usr/share/perl5/MHA/ManagerAdmin.pm line 141.\n"));
        Finding f = mha(e).get(0);
        assertThat(f.code()).isEqualTo("PROBE_FAILED");
        assertThat(f.severity()).isEqualTo(Severity.UNKNOWN);
    }

    @Test
    void aPassingReplicationCheckIsNoFinding() {
        MhaFacts mha = new MhaFacts("local:", CONF, new MhaFacts.Run(0, List.of("app1 (pid:5309) is running(0:PING_OK)"
                + ", master:192.168.0.1")), new MhaFacts.Run(0, MhaProbe.lines("Sat Dec  5 03:32:48 2026 - [info] "
                + "Checking slave configurations..\n\nMySQL Replication Health is OK.\n", true)), null, null);
        assertThat(mha(evaluate(mha))).isEmpty();
    }

    @Test
    void aFailedReplicationCheckNamesItsCauseWithoutSecrets() {
        String output = """
                Sat Dec  5 03:32:58 2026 - [info]   Executing command : apply_diff_relay_logs --command=test --slave_user='mha' --slave_host=db2 --slave_pass=hunter2
                Sat Dec  5 03:33:03 2026 - [error][/usr/share/perl5/MHA/ServerManager.pm, ln301] Got MySQL error when connecting db2(10.0.0.2:3306) :1045:Access denied for user 'mha'@'10.0.0.9' (using password: YES), but this is not a MySQL crash. Check MySQL server settings.
                Sat Dec  5 03:33:03 2026 - [error][/usr/share/perl5/MHA/ServerManager.pm, ln309] password=hunter2 seen in a line
                Sat Dec  5 03:33:03 2026 - [error][/usr/share/perl5/MHA/MasterMonitor.pm, ln525] Error happened on monitoring servers.
                Sat Dec  5 03:33:03 2026 - [info] Got exit code 1 (Not master dead).

                MySQL Replication Health is NOT OK!
                """;
        MhaFacts mha = new MhaFacts("ssh://mha@mgr", CONF, new MhaFacts.Run(0, List.of()),
                new MhaFacts.Run(1, MhaProbe.lines(output, true)), null, null);
        Finding f = mha(evaluate(mha)).get(0);
        assertThat(f.code()).isEqualTo("MHA_REPL_CHECK_FAILED");
        assertThat(f.summary()).contains("Access denied for user 'mha'").contains("using password: YES")
                .doesNotContain("Error happened on monitoring servers").doesNotContain("hunter2");
        assertThat(f.evidence().toString()).doesNotContain("hunter2").contains("Health is NOT OK");
    }

    @Test
    void secretsAreMaskedInEveryForm() {
        assertThat(MhaProbe.mask("password=s3cret repl_password='a b' --slave_pass=\"x\" passwd: y"))
                .doesNotContain("s3cret").doesNotContain("a b").doesNotContain("\"x\"").doesNotContain(" y")
                .contains("password=***");
    }
}
