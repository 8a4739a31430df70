package io.opsdoc.lab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The lab's objects come back from the API exactly as the fault builders wrote them, status and timestamps included. */
@Tag("lab")
class KubernetesLabTest {
    private static KubernetesLab lab;
    private static KubernetesClient viaKubeconfig;

    @BeforeAll
    static void start() throws Exception {
        lab = KubernetesLab.start("v1.31.4");
        viaKubeconfig = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(null, Files.readString(lab.kubeconfig()), lab.kubeconfig().toString())).build();
    }

    @AfterAll
    static void stop() {
        viaKubeconfig.close();
        lab.close();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    @Test
    void versionAndHealthyClusterThroughTheKubeconfig() {
        assertThat(viaKubeconfig.getKubernetesVersion().getGitVersion()).isEqualTo("v1.31.4");
        assertThat(lab.gracePeriod()).isEqualTo(Duration.ofSeconds(40));
        assertThat(viaKubeconfig.nodes().list().getItems()).hasSize(3)
                .allSatisfy(n -> assertThat(n.getStatus().getConditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Ready");
                    assertThat(c.getStatus()).isEqualTo("True");
                }));
        assertThat(viaKubeconfig.resources(Lease.class).inNamespace("kube-node-lease").list().getItems()).hasSize(3);
        assertThat(viaKubeconfig.apps().deployments().inNamespace("shop").withName("web").get().getStatus().getAvailableReplicas())
                .isEqualTo(3);
        assertThat(viaKubeconfig.pods().inAnyNamespace().list().getItems()).hasSize(7);
    }

    @Test
    void unreachableNodeKeepsItsTimestamps() {
        lab.nodes().unreachable("worker-1", Duration.ofMinutes(2));
        Node n = viaKubeconfig.nodes().withName("worker-1").get();
        assertThat(n.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
                .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("Unknown"));
        assertThat(n.getSpec().getTaints()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unreachable");
            assertThat(t.getEffect()).isEqualTo("NoExecute");
            assertThat(t.getTimeAdded()).isNotNull();
        });
        Lease l = viaKubeconfig.resources(Lease.class).inNamespace("kube-node-lease").withName("worker-1").get();
        assertThat(l.getSpec().getRenewTime()).isBefore(ZonedDateTime.now().minusSeconds(110));
        Pod p = viaKubeconfig.pods().inNamespace("kube-system").withName("kube-proxy-worker-1").get();
        assertThat(p.getSpec().getTolerations()).isNotEmpty();
        assertThat(viaKubeconfig.pods().inAnyNamespace().withField("spec.nodeName", "worker-1").list().getItems())
                .hasSize(4).allSatisfy(pod -> assertThat(pod.getSpec().getNodeName()).isEqualTo("worker-1"));
    }

    @Test
    void workloadFaultsKeepTheirContainerStates() {
        lab.workloads().crashLoop(7);
        lab.workloads().imagePullBackOff();
        Pod p = viaKubeconfig.pods().inNamespace("shop").withLabel("app", "checkout").list().getItems().get(0);
        assertThat(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(7);
        assertThat(viaKubeconfig.pods().inNamespace("shop").withLabel("app", "api").list().getItems().get(0)
                .getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
    }
}
