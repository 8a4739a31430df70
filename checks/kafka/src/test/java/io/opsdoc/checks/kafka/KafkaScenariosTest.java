package io.opsdoc.checks.kafka;

import io.opsdoc.lab.kafka.KafkaScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario of {@link KafkaScenarios}: each fault on a real 3-broker KRaft cluster and the codes of kafka-isr,
 * kafka-durability-config, kafka-cluster and kafka-consumer-lag it must produce.
 */
@Tag("lab")
class KafkaScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new KafkaScenarios());
    }
}
