package io.opsdoc.checks.redis;

import io.opsdoc.lab.redis.RedisHostScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link RedisHostScenarios}: redis-host-tuning on a Redis 7 host in a network namespace. */
@Tag("lab")
class RedisHostScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new RedisHostScenarios());
    }
}
