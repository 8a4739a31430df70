package io.opsdoc.checks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The evaluation's edges the lab does not reach: a config file given relative to the server's working directory, and
 * a server that reports no load time. The failed reload itself is produced on a real Prometheus by the scenarios.
 */
class PrometheusConfigEvaluationTest {
    private final PrometheusConfig check = new PrometheusConfig();
    private final Parameters p = Parameters.resolve(check.id(), check.parameters(), Map.of());

    @Test
    void aRelativeConfigFileIsNamedAsAPathOnTheServerAndTheAgeInWholeSeconds() {
        Instant loaded = Instant.parse("2026-12-05T06:00:00Z");
        Evaluation e = Evaluation.of(check, "prometheus://prom:9090", new ConfigFacts("http://prom:9090", false, loaded,
                loaded, "prometheus.yml", "/etc/prometheus", loaded.plusSeconds(3 * 3600)), p);
        Finding f = e.findings().get(0);
        assertThat(f.code()).isEqualTo("CONFIG_RELOAD_FAILED");
        assertThat(f.summary()).contains("/etc/prometheus/prometheus.yml", "loaded at 2026-12-05T06:00:00Z",
                "promtool check config /etc/prometheus/prometheus.yml");
        assertThat(f.evidence()).containsEntry("config_age_seconds", 10800L).containsEntry("reloadConfigSuccess", false);
    }

    @Test
    void withoutALoadTimeTheFindingStillStandsAndSaysItIsUnknown() {
        Evaluation e = Evaluation.of(check, "prometheus://prom:9090", new ConfigFacts("http://prom:9090", false, null,
                null, null, null, Instant.now()), p);
        assertThat(e.findings()).singleElement().satisfies(f -> assertThat(f.summary())
                .contains("loaded at an unknown time", "the configuration file"));
        assertThat(e.metrics()).noneMatch(m -> m.name().equals("prometheus_config_age_seconds"));
    }

    @Test
    void aSuccessfulReloadIsNoFindingButItsAgeIsAMetric() {
        Instant loaded = Instant.parse("2026-12-05T06:00:00Z");
        Evaluation e = Evaluation.of(check, "prometheus://prom:9090", new ConfigFacts("http://prom:9090", true, loaded,
                loaded, "/etc/prometheus/prometheus.yml", "/", loaded.plusSeconds(60)), p);
        assertThat(e.findings()).isEmpty();
        assertThat(e.metrics()).anyMatch(m -> m.name().equals("prometheus_config_age_seconds") && m.value() == 60);
    }
}
