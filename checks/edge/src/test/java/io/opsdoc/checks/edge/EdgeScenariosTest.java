package io.opsdoc.checks.edge;

import io.opsdoc.lab.edge.EdgeScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link EdgeScenarios}: nginx and HAProxy from Debian, faults induced on them and their backends. */
@Tag("lab")
class EdgeScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new EdgeScenarios(), "debian");
    }
}
