package io.opsdoc.checks.http;

import io.opsdoc.lab.http.HttpScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link HttpScenarios}: each fault on real HTTP servers and the codes it must produce. */
@Tag("lab")
class HttpScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new HttpScenarios());
    }
}
