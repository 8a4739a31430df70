package io.opsdoc.checks.kubernetes;

import io.opsdoc.lab.kubernetes.CalicoBgpScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link CalicoBgpScenarios}: real BIRD daemons peering in network namespaces, stopped and firewalled. */
@Tag("lab")
class CalicoBgpScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new CalicoBgpScenarios());
    }
}
