package io.opsdoc.checks.redis;

import io.opsdoc.lab.redis.RedisScenarios;
import io.opsdoc.lab.redis.RedisVersion;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Every scenario of {@link RedisScenarios} on Redis 6.2 and on Redis 7: each fault on real servers and the codes it
 * must produce. The two versions' labs run side by side; each lab's scenarios run in order ({@link LabLock}).
 */
@Tag("lab")
@Execution(ExecutionMode.CONCURRENT)
class RedisScenariosTest {
    private static final RedisScenarios SCENARIOS = new RedisScenarios();

    @TestFactory
    @ResourceLock(LabLock.REDIS_6_2)
    Stream<DynamicNode> onRedis62() {
        return ScenarioTests.of(SCENARIOS, RedisVersion.V6_2.label());
    }

    @TestFactory
    @ResourceLock(LabLock.REDIS_7)
    Stream<DynamicNode> onRedis7() {
        return ScenarioTests.of(SCENARIOS, RedisVersion.V7.label());
    }
}
