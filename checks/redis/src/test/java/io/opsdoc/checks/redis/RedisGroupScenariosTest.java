package io.opsdoc.checks.redis;

import io.opsdoc.lab.redis.RedisLab;
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
 * The scenarios of {@link RedisScenarios} on the lab's Sentinel group, Clusters and TLS server
 * ({@link RedisLab.Part#GROUPS}), on Redis 6.2 and Redis 7, side by side with {@link RedisScenariosTest}'s scenarios
 * on the standalone server, primary and replica: the two parts share no server, and each heals only its own.
 */
@Tag("lab")
@Execution(ExecutionMode.CONCURRENT)
class RedisGroupScenariosTest {
    private static final RedisScenarios SCENARIOS = new RedisScenarios();

    @TestFactory
    @ResourceLock(LabLock.REDIS_6_2_GROUPS)
    Stream<DynamicNode> onRedis62() {
        return groups(RedisVersion.V6_2);
    }

    @TestFactory
    @ResourceLock(LabLock.REDIS_7_GROUPS)
    Stream<DynamicNode> onRedis7() {
        return groups(RedisVersion.V7);
    }

    private static Stream<DynamicNode> groups(RedisVersion v) {
        return ScenarioTests.of(SCENARIOS, v.label(), RedisScenarios::onGroups, lab -> lab.part(RedisLab.Part.GROUPS));
    }
}
