package io.opsdoc.checks.memcached;

import io.opsdoc.lab.memcached.MemcachedScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link MemcachedScenarios} on a real memcached. */
@Tag("lab")
class MemcachedScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new MemcachedScenarios());
    }
}
