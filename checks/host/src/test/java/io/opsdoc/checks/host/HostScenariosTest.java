package io.opsdoc.checks.host;

import io.opsdoc.lab.host.HostLab;
import io.opsdoc.lab.host.HostScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link HostScenarios}, once through local: and once through a real sshd. */
@Tag("lab")
class HostScenariosTest {
    @TestFactory
    Stream<DynamicNode> local() {
        return ScenarioTests.of(new HostScenarios(), HostLab.LOCAL);
    }

    @TestFactory
    Stream<DynamicNode> ssh() {
        return ScenarioTests.of(new HostScenarios(), HostLab.SSH);
    }
}
