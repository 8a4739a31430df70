package io.opsdoc.checks.prometheus;

import io.opsdoc.lab.prometheus.PrometheusScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link PrometheusScenarios} on a real Prometheus 2.42. */
@Tag("lab")
class PrometheusScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new PrometheusScenarios());
    }
}
