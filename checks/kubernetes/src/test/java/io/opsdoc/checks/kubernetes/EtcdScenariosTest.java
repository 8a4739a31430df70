package io.opsdoc.checks.kubernetes;

import io.opsdoc.lab.kubernetes.EtcdScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link EtcdScenarios}: real etcd 3.4 members killed, filled and fragmented, and k8s-etcd's codes. */
@Tag("lab")
class EtcdScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new EtcdScenarios());
    }
}
