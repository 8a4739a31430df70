package io.opsdoc.checks.kubernetes;

import io.opsdoc.lab.kubernetes.KubePkiScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link KubePkiScenarios}: certificate files and a kubeconfig made to expire, and k8s-certs' codes. */
@Tag("lab")
class KubePkiScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new KubePkiScenarios());
    }
}
