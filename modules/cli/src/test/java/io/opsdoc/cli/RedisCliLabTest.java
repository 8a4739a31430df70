package io.opsdoc.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisLab.Node;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 3's "done when": redis-timeouts through the CLI against a real Redis that is full and running a slow script. */
@Tag("lab")
class RedisCliLabTest {
    private static RedisLab lab;

    @BeforeAll
    static void startLab() {
        lab = RedisLab.shared();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    private Map<String, String> env() {
        return Map.of("REDIS_PW", lab.monitorPassword());
    }

    @Test
    void fullWithNoevictionAndASlowScriptReportsBothCausesAndExits2() {
        lab.standalone().memoryFullNoEviction();
        lab.standalone().slowScript(Duration.ofMillis(300));
        Cli c = Cli.run(env(), "check", "redis-timeouts", lab.uri(Node.STANDALONE), "--password-env", "REDIS_PW");
        System.out.println(c.out()); // kept in target/surefire-reports/*-output.txt: what the on-call engineer sees
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        String first = c.out().lines().findFirst().orElseThrow();
        assertThat(first).startsWith("CRITICAL redis-timeouts on " + lab.uri(Node.STANDALONE));
        assertThat(c.out()).contains("WRITES_REJECTED_OOM", "SLOW_COMMANDS", "EVAL")
                .contains("maxmemory_policy=noeviction")
                .contains("more:     opsdoc explain redis-timeouts#WRITES_REJECTED_OOM")
                .contains("more:     opsdoc explain redis-timeouts#SLOW_COMMANDS")
                .contains("runbook:  ");
        assertThat(c.all()).doesNotContain(lab.monitorPassword());
        assertThat(c.clean()).isTrue();
    }

    @Test
    void healthyRedisExitsZero() {
        Cli c = Cli.run(env(), "check", "redis-timeouts", lab.uri(Node.STANDALONE), "--password-env", "REDIS_PW",
                "--format", "nagios");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).startsWith("REDIS-TIMEOUTS OK - no findings | ");
    }

    @Test
    void allFiveChecksRunTogetherOnAHealthyServer() {
        Cli c = Cli.run(env(), "check", "redis-timeouts", "redis-memory", "redis-persistence", "redis-security",
                "redis-replication", lab.uri(Node.STANDALONE), "--password-env", "REDIS_PW", "--timeout", "8s");
        assertThat(c.exit()).as(c.all()).isZero();
    }

    @Test
    void grantsPrintTheAcl() {
        Cli c = Cli.run("grants", "redis-timeouts");
        assertThat(c.exit()).isZero();
        assertThat(c.out()).contains("ACL SETUSER opsdoc reset on ><password> +ping +info +config|get +slowlog|get "
                + "+latency|latest +client|list +client|setname");
    }

    @Test
    void explainPrintsTheNoteSection() {
        Cli c = Cli.run("explain", "redis-timeouts#WRITES_REJECTED_OOM");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("OOM command not allowed");
    }

    @Test
    void labSuiteRunsTheRedisScenarios() {
        Cli c = Cli.run("lab", "--suite", "redis", "--scenario", "redis-healthy", "--scenario", "redis-oom",
                "--scenario", "redis-sentinel-master-down");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("CRITICAL MASTER_ODOWN").contains("3 scenarios, 3 as expected, 0 not");
    }
}
