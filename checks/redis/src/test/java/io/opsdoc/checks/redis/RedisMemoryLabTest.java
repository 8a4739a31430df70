package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.LabChecks.codes;
import static io.opsdoc.checks.redis.LabChecks.finding;
import static io.opsdoc.checks.redis.LabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisVersion;
import io.opsdoc.lab.redis.RedisLab.Node;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Every finding code of redis-memory from a real fault, and none on the healthy server. */
@ResourceLock(providers = LabLock.class)
class RedisMemoryLabTest {
    RedisLab lab;
    private final RedisMemory check = new RedisMemory();

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

    @Test
    void healthyServerHasNoFindings() {
        Report r = check(Map.of());
        assertThat(r.findings()).isEmpty();
        assertThat(r.metrics()).extracting(m -> m.name()).contains("used_memory_bytes", "maxmemory_bytes");
    }

    @Test
    void theGrantsItPrintsAreEnough() {
        String uri = LabChecks.userFromGrants(check, lab, Node.STANDALONE, "memory-grant-pw-1");
        assertThat(run(check, uri, "memory-grant-pw-1", Map.of(), Duration.ofSeconds(10)).findings()).isEmpty();
    }

    @Test
    void fullWithNoevictionRejectsWrites() {
        lab.memoryFullNoEviction();
        Report r = check(Map.of());
        assertThat(finding(r, "WRITES_REJECTED_OOM").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(codes(r)).doesNotContain("MEMORY_NEAR_LIMIT");
    }

    @Test
    void evictingWhileWriting() {
        lab.evicting();
        Report r = check(Map.of());
        assertThat(codes(r)).contains("EVICTIONS_ACTIVE", "MEMORY_NEAR_LIMIT");
        assertThat(codes(r)).doesNotContain("WRITES_REJECTED_OOM");
    }

    @Test
    void noMaxmemory() {
        lab.maxmemoryUnset();
        Finding f = finding(check(Map.of()), "MAXMEMORY_UNSET");
        assertThat(f.evidence()).containsEntry("maxmemory", 0);
    }

    @Test
    void maxmemoryAboveTheMachine() {
        lab.maxmemoryAboveSystemMemory();
        Finding f = finding(check(Map.of()), "MAXMEMORY_ABOVE_SYSTEM_MEMORY");
        assertThat((Long) f.evidence().get("maxmemory")).isGreaterThan((Long) f.evidence().get("total_system_memory"));
    }

    @Test
    void volatilePolicyWithNoTtls() {
        lab.volatilePolicyWithoutTtls();
        Finding f = finding(check(Map.of()), "VOLATILE_POLICY_WITHOUT_TTLS");
        assertThat(f.evidence()).containsEntry("maxmemory_policy", "volatile-lru").containsEntry("keys_with_ttl", 0);
    }

    @Test
    void fragmentationAfterMassDeletes() {
        lab.fragmented(96);
        Report r = check(Map.of("fragmentation-min", "32MiB"));
        Finding f = finding(r, "FRAGMENTATION_HIGH");
        assertThat((Double) f.evidence().get("ratio")).isGreaterThan(1.5);
    }
}
