package io.opsdoc.checks.edge;

import io.opsdoc.lab.edge.KeepalivedScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario of {@link KeepalivedScenarios}: real keepalived peers in network namespaces (failover, split brain,
 * no VIP) and an LVS-DR real server in a third, each read over ssh:// through an sshd inside its namespace.
 */
@Tag("lab")
class KeepalivedScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new KeepalivedScenarios(), "debian");
    }
}
