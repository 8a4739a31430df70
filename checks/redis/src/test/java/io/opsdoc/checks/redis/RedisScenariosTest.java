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
 * Every scenario of {@link RedisScenarios} on Redis 6.2 and on Redis 7: each fault on real servers and the codes it
 * must produce. The two versions' labs run side by side, and within a lab its two parts ({@link RedisLab.Part}: the
 * standalone server, primary and replica; the Sentinel group, Clusters and TLS server) share no server, so each part's
 * scenarios run in order from a factory of their own, side by side with the other part's, on a view of the lab that
 * heals only that part. This class runs the NODES part; {@link RedisGroupScenariosTest} the GROUPS part (a class of
 * its own, so that JUnit runs the parts as concurrent classes). Each holds its part's lock ({@link LabLock}); the
 * hand-written tests, which heal the whole lab, hold both.
 */
@Tag("lab")
@Execution(ExecutionMode.CONCURRENT)
class RedisScenariosTest {
    private static final RedisScenarios SCENARIOS = new RedisScenarios();

    @TestFactory
    @ResourceLock(LabLock.REDIS_6_2)
    Stream<DynamicNode> onRedis62() {
        return nodes(RedisVersion.V6_2);
    }

    @TestFactory
    @ResourceLock(LabLock.REDIS_7)
    Stream<DynamicNode> onRedis7() {
        return nodes(RedisVersion.V7);
    }

    private static Stream<DynamicNode> nodes(RedisVersion v) {
        return ScenarioTests.of(SCENARIOS, v.label(), s -> !RedisScenarios.onGroups(s),
                lab -> lab.part(RedisLab.Part.NODES));
    }
}
