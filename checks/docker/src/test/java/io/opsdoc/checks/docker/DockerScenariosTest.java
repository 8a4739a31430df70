package io.opsdoc.checks.docker;

import io.opsdoc.lab.docker.DockerScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link DockerScenarios} on a real dockerd 20.10 the lab starts (root only). */
@Tag("lab")
class DockerScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new DockerScenarios());
    }
}
