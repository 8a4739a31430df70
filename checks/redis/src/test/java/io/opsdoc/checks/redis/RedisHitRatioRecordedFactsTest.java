package io.opsdoc.checks.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * redis-hit-ratio on INFO stats counters in Redis's format: what the lab's scenarios do not reach (a restart between
 * the samples, evictions explaining the misses, a window just under min-lookups).
 */
class RedisHitRatioRecordedFactsTest {
    private static RedisFacts facts(long hits0, long misses0, long evicted0, long hits1, long misses1, long evicted1) {
        Map<String, String> before = Map.of("keyspace_hits", Long.toString(hits0), "keyspace_misses",
                Long.toString(misses0), "evicted_keys", Long.toString(evicted0), "expired_keys", "0",
                "maxmemory_policy", "allkeys-lru", "db0", "keys=1000,expires=0,avg_ttl=0");
        Map<String, String> after = Map.of("keyspace_hits", Long.toString(hits1), "keyspace_misses",
                Long.toString(misses1), "evicted_keys", Long.toString(evicted1), "expired_keys", "0",
                "maxmemory_policy", "allkeys-lru", "db0", "keys=1000,expires=0,avg_ttl=0");
        return new RedisFacts(before, after, 5000L, null, Map.of(), null, null, null, null, null, null, null, null, null,
                null);
    }

    private static Evaluation evaluate(RedisFacts f) {
        RedisHitRatio check = new RedisHitRatio();
        return Evaluation.of(check, "redis://db1:6379", f, Parameters.resolve(check.id(), check.parameters(), Map.of()));
    }

    @Test
    void evictionsInTheSameWindowArePointedAt() {
        Evaluation e = evaluate(facts(1000, 1000, 5, 1300, 1700, 905));
        assertThat(e.findings()).hasSize(1);
        Finding f = e.findings().get(0);
        assertThat(f.code()).isEqualTo("HIT_RATIO_LOW");
        assertThat(f.evidence()).containsEntry("hits_in_window", 300L).containsEntry("misses_in_window", 700L)
                .containsEntry("hit_ratio_percent", 30L).containsEntry("evicted_keys_in_window", 900L);
        assertThat(f.summary()).contains("900 key(s) were evicted", "redis-memory");
    }

    @Test
    void aRestartBetweenTheSamplesGivesNoVerdict() {
        Evaluation e = evaluate(facts(900_000, 100_000, 0, 10, 500, 0));
        assertThat(e.findings()).isEmpty();
        assertThat(e.metrics().stream().map(Metric::name)).doesNotContain("hit_ratio_percent");
    }

    @Test
    void fewerLookupsThanMinLookupsAreNotJudged() {
        Evaluation e = evaluate(facts(0, 0, 0, 0, 99, 0));
        assertThat(e.findings()).isEmpty();
        assertThat(e.metrics().stream().filter(m -> m.name().equals("lookups_in_window")).findFirst().orElseThrow()
                .value()).isEqualTo(99.0);
    }

    @Test
    void exactlyAtTheThresholdIsFine() {
        assertThat(evaluate(facts(0, 0, 0, 80, 20, 0)).findings()).isEmpty();
        assertThat(evaluate(facts(0, 0, 0, 79, 21, 0)).findings()).extracting(Finding::code)
                .containsExactly("HIT_RATIO_LOW");
    }
}
