package io.opsdoc.checks.flume;

import io.opsdoc.lab.flume.FlumeScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link FlumeScenarios} on a real Apache Flume agent. */
@Tag("lab")
class FlumeScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new FlumeScenarios());
    }
}
