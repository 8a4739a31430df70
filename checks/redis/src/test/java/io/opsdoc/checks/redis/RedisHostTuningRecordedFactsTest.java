package io.opsdoc.checks.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * redis-host-tuning's THP_ENABLED and OVERCOMMIT_DISABLED on the kernel files' exact contents: both settings are
 * machine-wide, so the lab on a shared machine only reads them (RedisHostScenarios.recordedFactsOnly). The INFO and
 * CONFIG GET values are Redis 7.0.15's from the lab.
 */
class RedisHostTuningRecordedFactsTest {
    /** /sys/kernel/mm/transparent_hugepage/enabled as the kernel prints it (the selected mode in brackets). */
    private static final String THP_ALWAYS = "[always] madvise never";
    private static final String THP_MADVISE = "always [madvise] never";

    private static HostTuningFacts facts(String thp, String overcommit, String disableThp) {
        Map<String, String> info = new LinkedHashMap<>(Map.of("redis_version", "7.0.15", "used_memory", "1006600",
                "maxmemory", "268435456", "total_system_memory", "25276157952", "connected_slaves", "0"));
        Map<String, String> config = new LinkedHashMap<>(Map.of("tcp-backlog", "511", "save", "3600 1",
                "appendonly", "no"));
        if (disableThp != null) {
            config.put("disable-thp", disableThp);
        }
        RedisFacts redis = new RedisFacts(info, null, null, null, config, null, null, null, null, null, null, null, null,
                null, null);
        return new HostTuningFacts(redis, "opsdoc@10.0.0.5:22", thp, overcommit, "4096");
    }

    private static Evaluation evaluate(HostTuningFacts f, Map<String, String> params) {
        RedisHostTuning check = new RedisHostTuning();
        return Evaluation.of(check, "redis://db1:6379", f, Parameters.resolve(check.id(), check.parameters(), params));
    }

    private static List<String> codes(Evaluation e) {
        return e.findings().stream().map(Finding::code).toList();
    }

    @Test
    void thpAlwaysOnARedisThatCannotOptOutWarns() {
        Evaluation e = evaluate(facts(THP_ALWAYS, "1", null), Map.of());
        assertThat(codes(e)).containsExactly("THP_ENABLED");
        Finding f = e.findings().get(0);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("selected", "always")
                .containsEntry("transparent_hugepage_enabled", THP_ALWAYS);
        assertThat(f.summary()).contains("no disable-thp setting");
    }

    @Test
    void thpAlwaysWithDisableThpNoStillWarns() {
        assertThat(codes(evaluate(facts(THP_ALWAYS, "1", "no"), Map.of()))).containsExactly("THP_ENABLED");
    }

    @Test
    void thpAlwaysIsHarmlessWhenRedisOptsOutItself() {
        assertThat(evaluate(facts(THP_ALWAYS, "1", "yes"), Map.of()).findings()).isEmpty();
    }

    @Test
    void thpMadviseOrAbsentIsFine() {
        assertThat(evaluate(facts(THP_MADVISE, "1", null), Map.of()).findings()).isEmpty();
        assertThat(evaluate(facts("always madvise [never]", "1", null), Map.of()).findings()).isEmpty();
        assertThat(evaluate(facts(null, "1", null), Map.of()).findings()).isEmpty();
    }

    @Test
    void overcommitHeuristicAndStrictWarn() {
        Evaluation heuristic = evaluate(facts(THP_MADVISE, "0", "yes"), Map.of());
        assertThat(codes(heuristic)).containsExactly("OVERCOMMIT_DISABLED");
        assertThat(heuristic.findings().get(0).evidence()).containsEntry("vm.overcommit_memory", 0L);
        assertThat(heuristic.findings().get(0).summary()).contains("heuristic");
        Evaluation strict = evaluate(facts(THP_MADVISE, "2", "yes"), Map.of());
        assertThat(codes(strict)).containsExactly("OVERCOMMIT_DISABLED");
        assertThat(strict.findings().get(0).summary()).contains("strict");
        assertThat(evaluate(facts(THP_MADVISE, "1", "yes"), Map.of()).findings()).isEmpty();
    }

    @Test
    void kernelMemoryFalseLeavesBothOutButShowsThem() {
        Evaluation e = evaluate(facts(THP_ALWAYS, "0", null), Map.of("kernel-memory", "false"));
        assertThat(e.findings()).isEmpty();
        assertThat(e.metrics().stream().map(Metric::name)).contains("thp_always", "vm_overcommit_memory");
    }
}
