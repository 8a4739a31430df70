package io.opsdoc.checks.kubernetes;

import io.opsdoc.lab.kubernetes.KubernetesScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario of {@link KubernetesScenarios} on both Kubernetes versions the lab serves: each fault written into
 * the mock API server and the codes of k8s-node-notready, k8s-workloads and k8s-capacity it must produce.
 */
@Tag("lab")
class KubernetesScenariosTest {
    @TestFactory
    Stream<DynamicNode> onV132() {
        return ScenarioTests.of(new KubernetesScenarios(), "1.32");
    }

    @TestFactory
    Stream<DynamicNode> onV131() {
        return ScenarioTests.of(new KubernetesScenarios(), "1.31");
    }
}
