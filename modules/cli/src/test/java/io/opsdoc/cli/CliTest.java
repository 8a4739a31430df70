package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.lab.Ports;
import io.opsdoc.lab.SilentTcpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's contract: exit codes, one-line errors, deadlines. No database needed. */
class CliTest {

    @Test
    void versionAndHelp() {
        Cli v = Cli.run("--version");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("opsdoc ");
        Cli h = Cli.run("--help");
        assertThat(h.exit()).isZero();
        assertThat(h.out()).contains("check", "explain", "grants", "replay", "lab", "64 usage error");
    }

    @Test
    void usageErrorsExit64WithAOneLineReason() {
        assertThat(Cli.run("check", "mysql-replication")).satisfies(c -> {
            assertThat(c.exit()).isEqualTo(64);
            assertThat(c.err()).contains("CHECK... TARGET");
        });
        assertThat(Cli.run("check", "no-such-check", "mysql://m@h")).satisfies(c -> {
            assertThat(c.exit()).isEqualTo(64);
            assertThat(c.err()).startsWith("opsdoc: unknown check 'no-such-check'");
        });
        assertThat(Cli.run("check", "mysql-replication", "db1:3306").err()).contains("has no scheme");
        assertThat(Cli.run("check", "mysql-replication", "mysql://db1:3306").err()).contains("names no user");
        assertThat(Cli.run("check", "mysql-replication", "mysql://m@h", "--set", "lag-warning=soon").exit()).isEqualTo(64);
        assertThat(Cli.run("check", "mysql-replication", "mysql://m@h", "--timeout", "0s").exit()).isEqualTo(64);
        assertThat(Cli.run("check", "mysql-replication", "mysql://m@h", "--format", "xml").exit()).isEqualTo(64);
        assertThat(Cli.run("check", "mysql-replication", "mysql://m@h", "--password-env", "NOT_SET_ANYWHERE").err())
                .contains("NOT_SET_ANYWHERE: that environment variable is not set");
        assertThat(Cli.run("check", "mysql-replication", "mysql://m@h", "--password-file", "/nonexistent/pw").exit()).isEqualTo(64);
        assertThat(Cli.run("replay", "/nonexistent/facts.json").exit()).isEqualTo(64);
        assertThat(Cli.run("frobnicate").exit()).isEqualTo(64);
    }

    @Test
    void refusedPortIsUnknownInOneLine() {
        Cli c = Cli.run("check", "mysql-replication", "mysql://monitor@127.0.0.1:" + Ports.closedPort(), "--format", "nagios");
        assertThat(c.exit()).isEqualTo(3);
        assertThat(c.out()).startsWith("MYSQL-REPLICATION UNKNOWN - UNREACHABLE: connection refused by 127.0.0.1:");
        assertThat(c.clean()).isTrue();
    }

    @Test
    void unknownHostIsUnknown() {
        Cli c = Cli.run("check", "mysql-replication", "mysql://monitor@no-such-host.invalid:3306");
        assertThat(c.exit()).isEqualTo(3);
        assertThat(c.out()).contains("UNREACHABLE", "cannot resolve host 'no-such-host.invalid' (DNS)");
        assertThat(c.clean()).isTrue();
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersTimesOutWithinTheDeadline() {
        try (SilentTcpServer silent = SilentTcpServer.start()) {
            Cli c = Cli.run("check", "mysql-replication", "mysql://monitor@127.0.0.1:" + silent.port(), "--timeout", "3s");
            assertThat(c.exit()).isEqualTo(3);
            assertThat(c.millis()).isLessThan(4000);
            assertThat(c.out()).contains("UNKNOWN TIMEOUT").contains("127.0.0.1:" + silent.port());
            assertThat(c.clean()).isTrue();
            assertThat(silent.acceptedConnections()).isPositive();
        }
    }

    @Test
    void grantsPrintsTheExactStatements() {
        Cli c = Cli.run("grants", "mysql-replication");
        assertThat(c.exit()).isZero();
        assertThat(c.out()).contains("GRANT SLAVE MONITOR ON *.* TO 'monitor'@'%';")
                .contains("GRANT REPLICATION CLIENT ON *.* TO 'monitor'@'%';");
    }

    @Test
    void listShowsChecksParametersAndCodes() {
        Cli c = Cli.run("list");
        assertThat(c.out()).contains("mysql-replication", "--set lag-warning=30s", "SQL_ERROR", "TIMEOUT");
    }

    @Test
    void explainAcceptsEveryForm() {
        Cli byCheck = Cli.run("explain", "mysql-replication#SQL_ERROR");
        assertThat(byCheck.exit()).isZero();
        assertThat(byCheck.out()).contains("[mysql/replication#sql-error]").contains("1062");
        assertThat(Cli.run("explain", "SQL_ERROR").out()).isEqualTo(byCheck.out());
        assertThat(Cli.run("explain", "mysql/replication#sql-error").out()).isEqualTo(byCheck.out());
        assertThat(Cli.run("explain", "mysql/replication").out()).contains("## LAG_UNKNOWN {#lag-unknown}");
        assertThat(Cli.run("explain", "mysql-replication#TIMEOUT").out()).contains("[opsdoc/probe-errors#timeout]");
        Cli zh = Cli.run("explain", "mysql-replication#SQL_ERROR", "--lang", "zh");
        assertThat(zh.exit()).isZero();
        assertThat(zh.out()).contains("1062").isNotEqualTo(byCheck.out());
        assertThat(zh.err()).isEmpty();
        assertThat(Cli.run("explain", "--alert", "MySQLReplicationLag").out()).contains("# ");
        assertThat(Cli.run("explain", "NO_SUCH_CODE").exit()).isEqualTo(64);
        assertThat(Cli.run("explain", "mysql-replication#NOPE").exit()).isEqualTo(64);
    }

    @Test
    void languageFollowsTheEnvironment() {
        Cli zh = Cli.run(Map.of("LANG", "zh_CN.UTF-8"), "explain", "mysql-replication#SQL_ERROR");
        assertThat(zh.out()).isEqualTo(Cli.run("explain", "mysql-replication#SQL_ERROR", "--lang", "zh").out());
    }

    @Test
    void everyCommandAnswersHelp() {
        for (String command : java.util.List.of("check", "gate", "list", "explain", "grants", "replay", "serve", "rules", "lab")) {
            Cli h = Cli.run(command, "--help");
            assertThat(h.exit()).as(command + " --help: " + h.all()).isZero();
            assertThat(h.out()).contains("Usage: opsdoc " + command);
        }
    }
}
