package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.LabChecks.codes;
import static io.opsdoc.checks.redis.LabChecks.finding;
import static io.opsdoc.checks.redis.LabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.SilentTcpServer;
import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisVersion;
import io.opsdoc.lab.redis.RedisLab.Node;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Every finding code of redis-timeouts from a real fault on a real Redis, and none on the healthy server. */
@ResourceLock(providers = LabLock.class)
class RedisTimeoutsLabTest {
    RedisLab lab;
    private final RedisTimeouts check = new RedisTimeouts();

    /** The Redis the lab runs; the Redis7 subclass overrides it. */
    RedisVersion version() {
        return RedisVersion.V6_2;
    }

    @BeforeEach
    void heal() {
        lab = LabChecks.lab(version());
        lab.heal();
    }

    private Report check(Map<String, String> params) {
        return run(check, lab, Node.STANDALONE, params);
    }

    private Report check() {
        return check(Map.of());
    }

    @Test
    void healthyServerHasNoFindingsAndReportsRoundTrips() {
        Report r = check();
        assertThat(r.findings()).isEmpty();
        assertThat(r.status()).isEqualTo(Severity.OK);
        assertThat(r.metrics()).extracting(Metric::name).contains("ping_p50_seconds", "ping_p99_seconds", "connected_clients");
    }

    @Test
    void aKeptConnectionServesTheNextRunAndItsLossCostsAReconnect() throws Exception {
        try (io.opsdoc.core.ClientPool pool = io.opsdoc.core.ClientPool.keeping(2, Duration.ofMinutes(1))) {
            io.opsdoc.core.Runner kept = new io.opsdoc.core.Runner(pool);
            io.opsdoc.core.Target target = io.opsdoc.core.Target.parse(lab.uri(Node.STANDALONE));
            java.util.function.Supplier<Report> once = () -> kept.run(check, target,
                    io.opsdoc.core.Parameters.resolve(check.id(), check.parameters(), Map.of()),
                    java.util.Optional.of(io.opsdoc.core.Secret.of(lab.monitorPassword(), "test")), Duration.ofSeconds(10)).report();
            assertThat(once.get().findings()).isEmpty();
            assertThat(pool.idle()).isEqualTo(1);
            assertThat(once.get().findings()).as("the kept connection answers the second run").isEmpty();
            assertThat(pool.idle()).isEqualTo(1);
            try (redis.clients.jedis.Jedis admin = lab.admin(Node.STANDALONE)) {
                // only the kept connection (named opsdoc): the lab's own connections must survive for the next tests
                String list = redis.clients.jedis.util.SafeEncoder.encode((byte[]) admin.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "LIST"));
                java.util.List<String> ids = list.lines().filter(l -> l.contains(" name=opsdoc ")).map(l -> l.replaceAll("^id=(\\d+) .*", "$1")).toList();
                assertThat(ids).hasSize(1);
                admin.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "KILL", "ID", ids.get(0));
            }
            Report after = once.get();
            assertThat(after.findings()).as("a killed kept connection costs a reconnect, not a false UNKNOWN").isEmpty();
        }
    }

    @Test
    void theGrantsItPrintsAreEnough() {
        String password = "grant-test-pw-7731";
        String uri = LabChecks.userFromGrants(check, lab, Node.STANDALONE, password);
        Report r = run(check, uri, password, Map.of(), Duration.ofSeconds(10));
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void memoryAtMaxmemoryWithNoevictionRejectsWrites() {
        lab.memoryFullNoEviction();
        Finding f = finding(check(), "WRITES_REJECTED_OOM");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("maxmemory_policy", "noeviction");
        assertThat((Long) f.evidence().get("oom_errors_in_window")).as(f.toString()).isPositive();
        assertThat(f.note()).isEqualTo("redis/memory#writes-rejected-oom");
    }

    @Test
    void slowScriptIsNamedAndSlowsRoundTrips() {
        lab.slowScript(Duration.ofMillis(300));
        Report r = check();
        Finding slow = finding(r, "SLOW_COMMANDS");
        assertThat(slow.summary()).contains("EVAL");
        assertThat(slow.evidence().get("slowlog_top").toString()).startsWith("eval ");
        assertThat(finding(r, "RTT_HIGH").severity()).isEqualTo(Severity.WARNING);
        assertThat(finding(r, "LATENCY_EVENTS").summary()).contains("command");
    }

    @Test
    void evictionsWhileAnApplicationWrites() {
        lab.evicting();
        Finding f = finding(check(), "EVICTIONS_ACTIVE");
        assertThat((Long) f.evidence().get("evicted_keys_in_window")).isPositive();
        assertThat(f.evidence()).containsEntry("maxmemory_policy", "allkeys-lru");
    }

    @Test
    void maxclientsReachedRejectsConnections() {
        lab.clientsExhausted();
        Report r = check();
        assertThat(finding(r, "CLIENTS_NEAR_MAXCLIENTS").evidence()).containsEntry("maxclients", 24L);
        Finding rejected = finding(r, "CONNECTIONS_REJECTED");
        assertThat(rejected.severity()).isEqualTo(Severity.CRITICAL);
        assertThat((Long) rejected.evidence().get("rejected_connections_in_window")).isPositive();
    }

    @Test
    void blockedQueueConsumerIsInfoOnly() {
        lab.blockedClient();
        Report r = check();
        Finding f = finding(r, "BLOCKED_CLIENTS");
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.summary()).contains("blpop");
        assertThat(r.status().exitCode()).isZero();
    }

    @Test
    void unreadRepliesPileUpInAnOutputBuffer() {
        lab.outputBufferPileUp(16);
        Finding f = finding(check(), "OUTPUT_BUFFER_PRESSURE");
        assertThat(f.summary()).contains("lab-slow-reader", "cmd=get");
    }

    @Test
    void backgroundSaveInProgress() {
        lab.backgroundSaveRunning();
        Finding f = finding(check(), "BACKGROUND_SAVE_RUNNING");
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsEntry("rdb_bgsave_in_progress", "1");
    }

    @Test
    void aForkLongerThanTheThreshold() {
        lab.forkOfBigDataset(64);
        long forkUsec = Long.parseLong(lab.info(Node.STANDALONE).get("latest_fork_usec"));
        assertThat(forkUsec).as("a real fork of a 64 MiB process").isGreaterThan(200);
        // any real fork is longer than a zero threshold; deriving the threshold from the fork time read above raced
        // with the check's own INFO samples on a loaded machine
        Report r = check(Map.of("fork-warning", "0ms"));
        assertThat((Long) finding(r, "SLOW_FORK").evidence().get("latest_fork_usec")).isGreaterThan(200L);
        assertThat(codes(check())).doesNotContain("SLOW_FORK");
    }

    @Test
    void aServerThatNeverAnswersIsUnknownWithinTheTimeout() {
        try (SilentTcpServer silent = SilentTcpServer.start()) {
            long t0 = System.nanoTime();
            Report r = run(check, "redis://" + silent.host() + ":" + silent.port(), null, Map.of("window", "1s"),
                    Duration.ofSeconds(3));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(Severity.UNKNOWN);
            assertThat(codes(r)).containsExactly("TIMEOUT");
            assertThat(ms).isLessThan(3_000 + 1_500);
        }
    }

    @Test
    void closedPortIsUnreachable() {
        Report r = run(check, "redis://127.0.0.1:" + Ports.closedPort(), null, Map.of(), Duration.ofSeconds(5));
        assertThat(codes(r)).containsExactly("UNREACHABLE");
    }

    @Test
    void wrongPasswordIsAuthFailedAndNeverEchoed() {
        Report r = run(check, lab.uri(Node.STANDALONE), "Wr0ng-Redis-Secret", Map.of(), Duration.ofSeconds(5));
        Finding f = finding(r, "AUTH_FAILED");
        assertThat(f.summary()).contains("'monitor'").doesNotContain("Wr0ng-Redis-Secret");
        assertThat(r.findings().toString()).doesNotContain("Wr0ng-Redis-Secret");
    }

    @Test
    void noPasswordAgainstAProtectedServerIsAuthFailed() {
        Report r = run(check, "redis://127.0.0.1:" + lab.port(Node.STANDALONE), null, Map.of(), Duration.ofSeconds(5));
        assertThat(finding(r, "AUTH_FAILED").summary()).contains("NOAUTH");
    }

    @Test
    void aUserWithoutTheCommandsGetsPermissionDenied() {
        Report r = run(check, "redis://" + lab.noPrivilegeUser() + "@127.0.0.1:" + lab.port(Node.STANDALONE),
                lab.noPrivilegePassword(), Map.of(), Duration.ofSeconds(5));
        Finding f = finding(r, "PERMISSION_DENIED");
        assertThat(f.summary()).contains("NOPERM", "opsdoc grants redis-timeouts");
    }

    @Test
    void aWindowThatDoesNotFitTheDeadlineShrinksToFitIt() {
        // issue 19's rule (SamplingWindow): the window is fitted into --timeout and the measured one is reported
        Report r = run(check, lab.uri(Node.STANDALONE), lab.monitorPassword(), Map.of("window", "5s"), Duration.ofSeconds(3));
        assertThat(r.status()).isNotEqualTo(io.opsdoc.core.Severity.UNKNOWN);
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("sample_window_seconds")).singleElement()
                .satisfies(m -> assertThat(m.value()).isBetween(1.0, 2.5));
    }
}
