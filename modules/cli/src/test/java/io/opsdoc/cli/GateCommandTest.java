package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Json;
import io.opsdoc.lab.mysql.MariaDbReplicationLab;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.SilentTcpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `opsdoc gate` on a config of lab targets: real replica, primary, a black hole and a refused port. */
class GateCommandTest {
    private static MariaDbReplicationLab lab;
    private static SilentTcpServer blackHole;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        lab = MariaDbReplicationLab.shared();
        blackHole = SilentTcpServer.start();
    }

    @AfterAll
    static void stop() {
        blackHole.close();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    private Path config(String waiverExpiry) throws Exception {
        String yaml = """
                defaults: {timeout: 3s}
                targets:
                  replica:
                    uri: "%s"
                    password: {env: MONITOR_PW}
                    tags: [prod]
                    checks:
                      mysql-replication: {lag-warning: 60s}
                  primary:
                    uri: "%s"
                    password: {env: MONITOR_PW}
                    tags: [prod]
                    checks:
                      mysql-replication: {expect-replica: false}
                  black-hole:
                    uri: "mysql://monitor@127.0.0.1:%d"
                    checks: [mysql-replication]
                  refused:
                    uri: "mysql://monitor@127.0.0.1:%d"
                    checks: [mysql-replication]
                waivers:
                  - {target: replica, code: REPLICA_WRITABLE, reason: "migration window", owner: dba-team, expires: %s}
                """.formatted(lab.replicaUri(), lab.primaryUri(), blackHole.port(), Ports.closedPort(), waiverExpiry);
        Path f = dir.resolve("opsdoc.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private Map<String, String> env() {
        return Map.of("MONITOR_PW", lab.monitorPassword());
    }

    @Test
    void runsEveryTargetInParallelAndWritesEveryFormat() throws Exception {
        lab.replicaWritable();
        Path cfg = config("2099-12-31");
        Path junit = dir.resolve("out/junit.xml");
        Path json = dir.resolve("out/report.json");
        Path md = dir.resolve("out/report.md");
        Path prom = dir.resolve("out/opsdoc.prom");
        Path sarif = dir.resolve("out/opsdoc.sarif");
        Cli c = Cli.run(env(), "gate", "-c", cfg.toString(), "--junit", junit.toString(), "--report", "json=" + json,
                "--report", "markdown=" + md, "--report", "prometheus=" + prom, "--report", "sarif=" + sarif,
                "--notes-url", "https://runbooks.example.com/notes/en/");
        assertThat(c.exit()).as(c.all()).isEqualTo(3); // the black hole and the refused port are UNKNOWN
        assertThat(c.millis()).as("about one timeout, not the sum").isLessThan(6500);
        assertThat(c.out()).contains("Problems, worst first:").contains("UNKNOWN TIMEOUT on mysql://monitor@127.0.0.1:" + blackHole.port())
                .contains("UNKNOWN UNREACHABLE").contains("[waived until 2099-12-31 by dba-team: migration window]")
                .contains("2 unknown, 0 warning");
        assertThat(c.all()).doesNotContain(lab.monitorPassword());

        JsonNode doc = Json.mapper().readTree(json.toFile());
        assertThat(doc.get("reports")).hasSize(4);
        assertThat(doc.at("/reports/0/targetName").asText()).isEqualTo("replica");
        assertThat(doc.at("/reports/0/findings/0/code").asText()).isEqualTo("REPLICA_WRITABLE");
        assertThat(doc.at("/reports/0/findings/0/waived/owner").asText()).isEqualTo("dba-team");
        assertThat(doc.at("/reports/0/status").asText()).isEqualTo("OK");
        assertThat(Files.readString(junit)).contains("<testcase classname=\"black-hole\" name=\"mysql-replication\"")
                .contains("<error type=\"UNKNOWN\" message=\"TIMEOUT:");
        assertThat(Files.readString(md)).startsWith("### opsdoc: UNKNOWN");
        assertThat(Files.readString(prom)).contains("opsdoc_check_status{check=\"mysql-replication\",target=\"refused\"} 3");
        JsonNode log = Json.mapper().readTree(sarif.toFile());
        assertThat(log.at("/runs/0/results")).hasSize(4); // waived REPLICA_WRITABLE, INFO NOT_A_REPLICA, TIMEOUT, UNREACHABLE
        assertThat(log.at("/runs/0/tool/driver/rules/0/helpUri").asText()).startsWith("https://runbooks.example.com/notes/en/");
        for (Path p : List.of(junit, json, md, prom, sarif)) {
            assertThat(Files.readString(p)).doesNotContain(lab.monitorPassword());
        }

        Cli prod = Cli.run(env(), "gate", "-c", cfg.toString(), "--tag", "prod", "--fail-on", "warning");
        assertThat(prod.exit()).as(prod.all()).isZero();
    }

    @Test
    void anExpiredWaiverStopsWaivingAndIsReported() throws Exception {
        lab.replicaWritable();
        Cli c = Cli.run(env(), "gate", "-c", config("2020-01-01").toString(), "--tag", "prod", "--format", "nagios");
        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.out()).startsWith("OPSDOC WARNING - ").contains("REPLICA_WRITABLE").contains("WAIVER_EXPIRED");
    }

    @Test
    void baselineAndFailOnNew() throws Exception {
        Path cfg = config("2099-12-31");
        Path before = dir.resolve("before.json");
        Cli first = Cli.run(env(), "gate", "-c", cfg.toString(), "--report", "json=" + before, "--fail-on", "new");
        assertThat(first.exit()).as("without a baseline every problem is new").isEqualTo(1);
        Cli again = Cli.run(env(), "gate", "-c", cfg.toString(), "--baseline", before.toString(), "--fail-on", "new");
        assertThat(again.exit()).as(again.all()).isZero();
        lab.stopSqlThread();
        Cli broken = Cli.run(env(), "gate", "-c", cfg.toString(), "--baseline", before.toString(), "--fail-on", "new");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).contains("SQL_THREAD_STOPPED on " + lab.replicaUri()).contains("[new]")
                .contains("[persisting]").contains("against the baseline: 2 new problems");
    }

    @Test
    void malformedConfigsExit64WithFileLineAndKey() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "targets:\n  db:\n    uri: mysql://m@h:3306\n    checks:\n      mysql-replication: {lag-warning: soon}\n");
        Cli c = Cli.run("gate", "-c", bad.toString());
        assertThat(c.exit()).isEqualTo(64);
        assertThat(c.err()).contains("bad.yaml:5:27: targets.db.checks.mysql-replication.lag-warning:").contains("'soon' is not a duration");
        assertThat(c.clean()).isTrue();
        Files.writeString(bad, "targets: [not, a, map]\n");
        assertThat(Cli.run("gate", "-c", bad.toString()).err()).contains("bad.yaml:1:1: targets: 'targets' must map");
        assertThat(Cli.run("gate", "-c", dir.resolve("missing.yaml").toString()).exit()).isEqualTo(64);
        assertThat(Cli.run("gate", "-c", config("2099-12-31").toString(), "--fail-on", "sometimes").exit()).isEqualTo(64);
        assertThat(Cli.run("gate", "-c", config("2099-12-31").toString()).err()).contains("password variable MONITOR_PW is not set");
    }

    @Test
    void grantsForAConfigAreTheUnionPerKindOfTarget() throws Exception {
        Cli c = Cli.run("grants", "-c", config("2099-12-31").toString());
        assertThat(c.exit()).isZero();
        assertThat(c.out()).contains("-- mysql:// targets, for mysql-replication").contains("GRANT SLAVE MONITOR ON *.* TO 'monitor'@'%';");
        assertThat(c.out().lines().filter(l -> l.equals("GRANT SLAVE MONITOR ON *.* TO 'monitor'@'%';"))).hasSize(1);
    }
}
