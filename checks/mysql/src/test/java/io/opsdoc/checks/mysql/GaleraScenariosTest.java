package io.opsdoc.checks.mysql;

import io.opsdoc.lab.galera.GaleraScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link GaleraScenarios}: a real 3-node Galera cluster losing nodes and quorum. */
@Tag("lab")
class GaleraScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new GaleraScenarios());
    }
}
