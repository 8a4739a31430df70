package io.opsdoc.checks.edge;

import io.opsdoc.lab.edge.NginxTuningScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link NginxTuningScenarios}: nginx-status's configuration findings on a reloaded Debian nginx. */
@Tag("lab")
class NginxTuningScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new NginxTuningScenarios(), "debian");
    }
}
