package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.LabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.opsdoc.core.ClientPool;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisLab.Node;
import io.opsdoc.lab.redis.RedisVersion;
import io.opsdoc.lab.redis.SentinelGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.SafeEncoder;

/**
 * What the scenarios ({@code RedisScenarios}) cannot say as data, on each Redis version's shared lab: the ACL each
 * check prints for {@code opsdoc grants} is enough (a user is made from it), a kept connection is reused and a killed
 * one costs only a reconnect, a wrong password is never echoed, and plain text against a TLS port. One factory per
 * version holds that version's lab lock ({@link LabLock}); every test heals the lab first.
 */
@Tag("lab")
@Execution(ExecutionMode.CONCURRENT)
class RedisLabChecksTest {

    @TestFactory
    @ResourceLock(LabLock.REDIS_6_2)
    @ResourceLock(LabLock.REDIS_6_2_GROUPS)
    Stream<DynamicTest> onRedis62() {
        return tests(RedisVersion.V6_2);
    }

    @TestFactory
    @ResourceLock(LabLock.REDIS_7)
    @ResourceLock(LabLock.REDIS_7_GROUPS)
    Stream<DynamicTest> onRedis7() {
        return tests(RedisVersion.V7);
    }

    private static Stream<DynamicTest> tests(RedisVersion version) {
        RedisLab lab = LabChecks.lab(version);
        List<DynamicTest> tests = new ArrayList<>(List.of(
                test(lab, "a kept connection serves the next run, and its loss costs a reconnect",
                        RedisLabChecksTest::keptConnectionIsReusedAndReplaced),
                test(lab, "redis-timeouts: the ACL it prints is enough", l -> grantsAreEnough(new RedisTimeouts(), l, Node.STANDALONE)),
                test(lab, "redis-memory: the ACL it prints is enough", l -> grantsAreEnough(new RedisMemory(), l, Node.STANDALONE)),
                test(lab, "redis-hit-ratio: the ACL it prints is enough", l -> grantsAreEnough(new RedisHitRatio(), l, Node.STANDALONE)),
                test(lab, "redis-persistence: the ACL it prints is enough",
                        l -> grantsAreEnough(new RedisPersistence(), l, Node.STANDALONE)),
                test(lab, "redis-replication: the ACL it prints is enough",
                        l -> grantsAreEnough(new RedisReplication(), l, Node.REPLICA)),
                test(lab, "redis-security: the ACL it prints is enough", l -> grantsAreEnough(new RedisSecurity(), l, Node.STANDALONE)),
                test(lab, "redis-sentinel: the ACL it prints, on every Sentinel, is enough",
                        RedisLabChecksTest::sentinelGrantsAreEnough),
                test(lab, "redis-cluster: the ACL it prints, on every node, is enough",
                        RedisLabChecksTest::clusterGrantsAreEnough),
                test(lab, "a wrong password is AUTH_FAILED and never echoed", RedisLabChecksTest::wrongPasswordIsNeverEchoed)));
        if (version == RedisVersion.V7) {
            // only Debian's Redis 7 is built with TLS
            tests.add(test(lab, "redis:// against the TLS port is UNKNOWN", RedisLabChecksTest::cleartextAgainstTheTlsPort));
        }
        return tests.stream();
    }

    private static DynamicTest test(RedisLab lab, String name, ThrowingConsumer<RedisLab> body) {
        return dynamicTest(name, () -> {
            lab.heal();
            body.accept(lab);
        });
    }

    static void keptConnectionIsReusedAndReplaced(RedisLab lab) throws Exception {
        RedisTimeouts check = new RedisTimeouts();
        try (ClientPool pool = ClientPool.keeping(2, Duration.ofMinutes(1))) {
            Runner kept = new Runner(pool);
            Target target = Target.parse(lab.uri(Node.STANDALONE));
            Supplier<Report> once = () -> kept.run(check, target, Parameters.resolve(check.id(), check.parameters(),
                    LabChecks.quietRtt(check)),
                    Optional.of(Secret.of(lab.monitorPassword(), "test")), Duration.ofSeconds(10)).report();
            assertThat(once.get().findings()).isEmpty();
            assertThat(pool.idle()).isEqualTo(1);
            assertThat(once.get().findings()).as("the kept connection answers the second run").isEmpty();
            assertThat(pool.idle()).isEqualTo(1);
            try (Jedis admin = lab.admin(Node.STANDALONE)) {
                // only the kept connection (named opsdoc): the lab's own connections must survive for the next tests
                String list = SafeEncoder.encode((byte[]) admin.sendCommand(Protocol.Command.CLIENT, "LIST"));
                List<String> ids = list.lines().filter(l -> l.contains(" name=opsdoc "))
                        .map(l -> l.replaceAll("^id=(\\d+) .*", "$1")).toList();
                assertThat(ids).hasSize(1);
                admin.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", ids.get(0));
            }
            Report after = once.get();
            assertThat(after.findings()).as("a killed kept connection costs a reconnect, not a false UNKNOWN").isEmpty();
        }
    }

    /** A user made from exactly the statement {@code opsdoc grants} prints, with a fresh password, finds nothing. */
    static void grantsAreEnough(RedisCheck check, RedisLab lab, Node node) {
        String password = "grant-pw-" + check.id();
        String uri = LabChecks.userFromGrants(check, lab, node, password);
        Report r = run(check, uri, password, LabChecks.quietRtt(check), Duration.ofSeconds(10));
        assertThat(r.findings()).as(r.findings().toString()).isEmpty();
    }

    static void sentinelGrantsAreEnough(RedisLab lab) {
        RedisSentinel check = new RedisSentinel();
        String rules = LabChecks.aclRules(check.grants().get(0).statements().get(0));
        // on every Sentinel: the check asks the others where the master is, with the same user
        for (int i = 0; i < 3; i++) {
            try (Jedis sentinel = lab.sentinel().sentinel(i)) {
                List<String> args = new ArrayList<>(List.of("SETUSER", "sentinel-monitor", "reset", "on", ">sent-pw-1"));
                args.addAll(List.of(rules.split(" ")));
                sentinel.sendCommand(() -> "ACL".getBytes(), args.toArray(String[]::new));
            }
        }
        Report r = LabChecks.run(check, "redis-sentinel://sentinel-monitor@127.0.0.1:" + lab.sentinel().sentinelPort(0) + "/"
                + SentinelGroup.MASTER_NAME, "sent-pw-1");
        assertThat(r.findings()).as(r.findings().toString()).isEmpty();
    }

    static void clusterGrantsAreEnough(RedisLab lab) {
        RedisCluster check = new RedisCluster();
        String password = "cluster-grant-pw-1";
        lab.cluster().createUser("grants-cluster", password, LabChecks.aclRules(check.grants().get(0).statements().get(0)));
        Report r = run(check, "redis://grants-cluster@127.0.0.1:" + lab.cluster().port(0), password, Map.of(),
                Duration.ofSeconds(10));
        assertThat(r.findings()).as(r.findings().toString()).isEmpty();
    }

    static void wrongPasswordIsNeverEchoed(RedisLab lab) {
        Report r = run(new RedisTimeouts(), lab.uri(Node.STANDALONE), "Wr0ng-Redis-Secret", Map.of(), Duration.ofSeconds(5));
        assertThat(LabChecks.finding(r, "AUTH_FAILED").summary()).contains("'monitor'");
        assertThat(r.findings().toString()).doesNotContain("Wr0ng-Redis-Secret");
        assertThat(r.metrics().toString()).doesNotContain("Wr0ng-Redis-Secret");
    }

    /** The server reads the RESP as a broken handshake and closes: which probe error that is depends on the timing. */
    static void cleartextAgainstTheTlsPort(RedisLab lab) {
        Report r = run(new RedisTimeouts(), "redis://monitor@127.0.0.1:" + lab.tls().port(), lab.monitorPassword(),
                Map.of("window", "1s"), Duration.ofSeconds(10));
        assertThat(r.status()).as(r.findings().toString()).isEqualTo(Severity.UNKNOWN);
    }
}
