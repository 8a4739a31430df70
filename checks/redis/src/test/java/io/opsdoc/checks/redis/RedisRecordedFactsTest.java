package io.opsdoc.checks.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.checks.redis.RedisFacts.DefaultUser;
import io.opsdoc.core.Check;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Evaluation edge cases on hand-written facts: versions and setups the lab does not run (Redis 6.0 without errorstats,
 * Redis 7 ACL rules and DEBUG disabled by default, a public bind address), and the facts' JSON round trip.
 */
class RedisRecordedFactsTest {

    private static RedisFacts facts(Map<String, String> info, Map<String, String> infoAfter, Map<String, String> config,
            DefaultUser user, Map<String, List<String>> categories, String anonymous) {
        return new RedisFacts(info, infoAfter, infoAfter == null ? null : 2000L, null, config, null, null, null, null, null,
                user, categories, user == null ? null : Map.of("flushall", true, "flushdb", true, "keys", true,
                "config", true, "debug", true), anonymous, null);
    }

    private static Evaluation evaluate(Check<RedisFacts> check, RedisFacts f, Map<String, String> params) {
        return Evaluation.of(check, "redis://db1:6379", f, Parameters.resolve(check.id(), check.parameters(), params));
    }

    private static List<String> codes(Evaluation e) {
        return e.findings().stream().map(Finding::code).toList();
    }

    private static Map<String, String> info(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void redis60WithoutErrorstatsStillSeesNoevictionAtTheLimit() {
        Map<String, String> i = info("redis_version", "6.0.20", "used_memory", "990", "maxmemory", "1000",
                "maxmemory_policy", "noeviction", "evicted_keys", "0", "db0", "keys=10,expires=0,avg_ttl=0");
        Evaluation e = evaluate(new RedisMemory(), facts(i, i, Map.of(), null, null, null), Map.of());
        Finding f = e.findings().stream().filter(x -> x.code().equals("WRITES_REJECTED_OOM")).findFirst().orElseThrow();
        assertThat(f.evidence()).doesNotContainKey("oom_errors_in_window");
        assertThat(codes(e)).doesNotContain("MEMORY_NEAR_LIMIT");
    }

    @Test
    void aVolatilePolicyWithTtlsBelowTheLimitIsHealthy() {
        Map<String, String> i = info("used_memory", "500", "maxmemory", "1000", "maxmemory_policy", "volatile-lru",
                "evicted_keys", "0", "db0", "keys=10,expires=4,avg_ttl=100", "total_system_memory", "100000");
        assertThat(evaluate(new RedisMemory(), facts(i, i, Map.of(), null, null, null), Map.of()).findings()).isEmpty();
    }

    @Test
    void redis7AclRulesWithCategoriesAndDebugDisabled() {
        DefaultUser user = new DefaultUser(List.of("on", "sanitize-payload"), "+@all -@dangerous +keys");
        Map<String, List<String>> cats = Map.of("dangerous", List.of("flushall", "flushdb", "keys", "config", "debug", "info"));
        RedisFacts f = facts(info("redis_version", "7.2.4"), null,
                Map.of("protected-mode", "yes", "bind", "* -::*", "enable-debug-command", "no"), user, cats, "NOAUTH");
        Evaluation e = evaluate(new RedisSecurity(), f, Map.of());
        assertThat(codes(e)).containsExactly("DANGEROUS_COMMANDS_CALLABLE");
        assertThat(e.findings().get(0).evidence()).containsEntry("callable", "keys");
    }

    @Test
    void debugStaysCallableOn62AndWhenEnabled() {
        DefaultUser user = new DefaultUser(List.of("on", "allkeys", "allcommands"), "+@all");
        RedisFacts v62 = facts(info(), null, Map.of("protected-mode", "yes", "bind", "10.0.0.5"), user, Map.of(), "NOAUTH");
        assertThat(RedisSecurity.callable(v62)).containsExactly("flushall", "flushdb", "keys", "config", "debug");
        RedisFacts local = facts(info(), null, Map.of("enable-debug-command", "local"), user, Map.of(), "NOAUTH");
        assertThat(RedisSecurity.callable(local)).contains("debug");
        DefaultUser restricted = new DefaultUser(List.of("on"), "-@all +get +set +config|get");
        assertThat(RedisSecurity.callable(facts(info(), null, Map.of(), restricted, Map.of(), "NOAUTH"))).isEmpty();
    }

    @Test
    void anOpenServerOnAPublicAddressIsCritical() {
        DefaultUser user = new DefaultUser(List.of("on", "nopass", "allcommands"), "-@all +get");
        RedisFacts f = facts(info(), null, Map.of("protected-mode", "no", "bind", "0.0.0.0"), user, Map.of(), "PONG");
        Evaluation e = evaluate(new RedisSecurity(), f, Map.of());
        assertThat(codes(e)).containsExactly("NO_PASSWORD", "PROTECTED_MODE_OFF");
        assertThat(e.findings()).allSatisfy(x -> assertThat(x.severity()).isEqualTo(Severity.CRITICAL));
    }

    @Test
    void aRestartBetweenSamplesIsNotARate() {
        Map<String, String> before = info("rejected_connections", "500", "connected_clients", "5", "sync_full", "9");
        Map<String, String> after = info("rejected_connections", "0", "connected_clients", "5", "sync_full", "0");
        RedisFacts f = new RedisFacts(before, after, 2000L, List.of(100L), Map.of("maxclients", "10000"), -1L, List.of(),
                List.of(), List.of(), 1, null, null, null, null, null);
        assertThat(evaluate(new RedisTimeouts(), f, Map.of()).findings()).isEmpty();
        assertThat(evaluate(new RedisReplication(), f, Map.of()).findings()).isEmpty();
    }

    @Test
    void factsRoundTripThroughJson() throws Exception {
        DefaultUser user = new DefaultUser(List.of("on"), "+@all");
        RedisFacts f = facts(info("used_memory", "1"), null, Map.of("bind", "127.0.0.1"), user, Map.of(), "NOAUTH");
        String json = Json.mapper().writeValueAsString(f);
        assertThat(Json.mapper().readValue(json, RedisFacts.class)).isEqualTo(f);
        assertThat(json).doesNotContain("passwords");
    }

    @Test
    void clusterNodeAddressesOf62And70() {
        assertThat(RedisCluster.hostPorts("127.0.0.1:7000@17000")).containsExactly("127.0.0.1", "7000", "17000");
        // 7.0 appends the announced hostname after a comma
        assertThat(RedisCluster.hostPorts("10.0.0.5:6379@16379,redis-0.example")).containsExactly("10.0.0.5", "6379", "16379");
        assertThat(RedisCluster.hostPorts(":0@0")).isNull();
        assertThat(RedisCluster.hostPorts("[::1]:7000@17000")).containsExactly("[::1]", "7000", "17000");
    }

    @Test
    void sentinelPeersThatCannotBeAskedAreNotADisagreement() {
        Map<String, String> master = Map.of("flags", "master", "ip", "10.0.0.1", "port", "6379", "num-other-sentinels", "2",
                "quorum", "2", "config-epoch", "0", "role-reported-time", "5000");
        List<Map<String, String>> replicas = List.of(Map.of("ip", "10.0.0.2", "port", "6379", "flags", "slave",
                "master-link-status", "ok", "slave-priority", "100"));
        SentinelFacts.MasterView agreeing = new SentinelFacts.MasterView("m", master, "OK 3 usable Sentinels", true, replicas,
                List.of(), "10.0.0.1:6379", List.of(new SentinelFacts.PeerAnswer("10.0.0.8:26379", "10.0.0.1:6379", null),
                new SentinelFacts.PeerAnswer("10.0.0.9:26379", null, "SocketTimeoutException: connect timed out")));
        RedisSentinel check = new RedisSentinel();
        Evaluation ok = Evaluation.of(check, "redis-sentinel://s1:26379/m", new SentinelFacts("m", List.of(agreeing)),
                Parameters.resolve(check.id(), check.parameters(), Map.of()));
        assertThat(ok.findings()).isEmpty();
        SentinelFacts.MasterView split = new SentinelFacts.MasterView("m", master, "OK 3 usable Sentinels", true, replicas,
                List.of(), "10.0.0.1:6379", List.of(new SentinelFacts.PeerAnswer("10.0.0.8:26379", "10.0.0.2:6379", null),
                new SentinelFacts.PeerAnswer("10.0.0.9:26379", null, "SocketTimeoutException: connect timed out")));
        Evaluation bad = Evaluation.of(check, "redis-sentinel://s1:26379/m", new SentinelFacts("m", List.of(split)),
                Parameters.resolve(check.id(), check.parameters(), Map.of()));
        assertThat(bad.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("MASTER_ADDR_DISAGREEMENT");
            assertThat(f.evidence()).containsEntry("others", "10.0.0.8:26379 says 10.0.0.2:6379")
                    .containsEntry("unanswered", "10.0.0.9:26379 (SocketTimeoutException: connect timed out)");
        });
    }

    /** A cause several checks report keeps the section of the note that explains it, whichever check reports it. */
    @Test
    void sharedCodesKeepTheirNoteSectionInEveryCodeTable() {
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, String> titles = new LinkedHashMap<>();
        for (Check<?> check : List.of(new RedisTimeouts(), new RedisMemory(), new RedisPersistence(), new RedisCluster())) {
            for (io.opsdoc.core.FindingCode c : check.codes()) {
                String note = notes.putIfAbsent(c.code(), c.note());
                assertThat(note == null ? c.note() : note).as(check.id() + "#" + c.code()).isEqualTo(c.note());
                String title = titles.putIfAbsent(c.code(), c.title());
                assertThat(title == null ? c.title() : title).as(check.id() + "#" + c.code()).isEqualTo(c.title());
            }
        }
        assertThat(notes).containsEntry("WRITES_REJECTED_OOM", "redis/memory#writes-rejected-oom")
                .containsEntry("EVICTIONS_ACTIVE", "redis/memory#evictions-active")
                .containsEntry("SLOW_FORK", "redis/persistence#slow-fork")
                .containsEntry("BACKGROUND_SAVE_RUNNING", "redis/persistence#background-save-running")
                .containsEntry("CLUSTER_STATE_FAIL", "redis/cluster#cluster-state-fail")
                .containsEntry("RTT_HIGH", "redis/client-timeouts#rtt-high");
    }
}
