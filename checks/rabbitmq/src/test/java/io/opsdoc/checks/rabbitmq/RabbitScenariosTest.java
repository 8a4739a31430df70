package io.opsdoc.checks.rabbitmq;

import io.opsdoc.lab.rabbitmq.RabbitScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link RabbitScenarios} on one real 3-node RabbitMQ 3.10 cluster. */
@Tag("lab")
class RabbitScenariosTest {
    @TestFactory
    Stream<DynamicNode> cluster() {
        return ScenarioTests.of(new RabbitScenarios());
    }
}
