package io.opsdoc.checks.kubernetes;

import io.opsdoc.lab.kubernetes.ControlPlaneScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario of {@link ControlPlaneScenarios}: health checks and serving certificates of an HTTPS API server
 * stand-in, and the codes of k8s-control-plane they must produce.
 */
@Tag("lab")
class ControlPlaneScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new ControlPlaneScenarios());
    }
}
