package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 19: {@code explain --alert NAME} printed the whole note (184-610 lines). It now prints the note's Meaning and
 * the section the alert maps to ({@code alerts: [Name#anchor]} in the front matter); {@code --full} prints it all.
 */
class ExplainAlertTest {

    @Test
    void anAlertPrintsTheMeaningAndItsMappedSectionOnly() {
        Cli c = Cli.run("explain", "--alert", "KubeNodeNotReady");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).startsWith("# ").contains("[kubernetes/node-notready, alert KubeNodeNotReady]")
                .contains("## Meaning {#meaning}", "## NODE_NOT_READY {#node-not-ready}")
                .doesNotContain("## Mitigation", "## NODE_PRESSURE", "## Impact")
                .contains("opsdoc explain kubernetes/node-notready, or --alert KubeNodeNotReady --full");
        Cli full = Cli.run("explain", "--alert", "KubeNodeNotReady", "--full");
        assertThat(full.out()).contains("## Mitigation", "## NODE_PRESSURE", "## Impact");
        assertThat(c.out().lines().count()).isLessThan(full.out().lines().count() / 2);
    }

    @Test
    void anAlertWithoutAMappedSectionPrintsTheMeaning() {
        Cli c = Cli.run("explain", "--alert", "KubeletClientCertificateExpiration");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("## Meaning {#meaning}").doesNotContain("## NODE_NOT_READY", "## Mitigation");
    }

    @Test
    void theSectionComesInTheLanguageAsked() {
        Cli c = Cli.run("explain", "--alert", "MysqlSlaveSqlThreadNotRunning", "--lang", "zh");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("{#meaning}", "SQL_THREAD_STOPPED {#sql-thread-stopped}");
        assertThat(c.err()).isEmpty();
    }

    @Test
    void alertNamesAddedToExistingNotesResolve() {
        for (String alert : new String[] {"MySQLDown", "RedisDown", "KubeControllerManagerDown", "KubeSchedulerDown",
                "KubeQuotaExceeded", "KubeletClientCertificateExpiration", "etcdHighFsyncDurations", "NginxLatencyHigh"}) {
            Cli c = Cli.run("explain", "--alert", alert);
            assertThat(c.exit()).as(alert + ": " + c.all()).isZero();
        }
    }
}
