package io.opsdoc.checks.zookeeper;

import io.opsdoc.lab.scenario.junit.ScenarioTests;
import io.opsdoc.lab.zookeeper.ZookeeperScenarios;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link ZookeeperScenarios} on a real 3-member ensemble. */
@Tag("lab")
class ZookeeperScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new ZookeeperScenarios());
    }
}
