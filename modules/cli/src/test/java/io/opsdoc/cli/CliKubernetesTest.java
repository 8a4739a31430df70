package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.lab.kubernetes.KubernetesLab;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Kubernetes checks through the command line, against a mock API server found through the kubeconfig. */
@Tag("lab")
class CliKubernetesTest {
    private static KubernetesLab lab;
    private String savedKubeconfig;

    @BeforeAll
    static void start() {
        lab = KubernetesLab.start();
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @BeforeEach
    void useTheLabAsTheCurrentContext() {
        lab.heal();
        // what KUBECONFIG does for kubectl: the Fabric8 client reads the same setting as the system property "kubeconfig"
        savedKubeconfig = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", lab.kubeconfig().toString());
    }

    @AfterEach
    void restore() {
        if (savedKubeconfig == null) {
            System.clearProperty("kubeconfig");
        } else {
            System.setProperty("kubeconfig", savedKubeconfig);
        }
    }

    @Test
    void nodeUnreachableForTwoMinutesExitsCriticalAndSaysWhatHappensNext() {
        lab.nodes().unreachable("worker-1", Duration.ofMinutes(2));
        Cli c = Cli.run("check", "k8s-node-notready", "k8s://");
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        String first = c.out().lines().findFirst().orElseThrow();
        assertThat(first).startsWith("CRITICAL k8s-node-notready on k8s://:").contains("NODE_UNKNOWN");
        assertThat(c.out()).contains("CRITICAL NODE_UNKNOWN [worker-1]")
                .contains("has not reported for 2m0s")
                .contains("evictable pods starts at")
                .contains("systemctl status kubelet")
                .contains("grace period 50s (default from Kubernetes v1.32")
                .contains("runbook:  The kubelet on this node has not renewed its Lease")
                .contains("more:     opsdoc explain k8s-node-notready#NODE_UNKNOWN")
                .contains("WARNING EVICTION_SCHEDULED [worker-1]");
        assertThat(c.out()).doesNotContain("is missing");
        assertThat(c.clean()).as(c.all()).isTrue();
    }

    @Test
    void healthyClusterExitsZero() {
        Cli c = Cli.run("check", "k8s-node-notready", "k8s://");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).startsWith("OK k8s-node-notready on k8s://: no findings");
    }

    @Test
    void explicitContextAndKubeconfigInTheTarget() {
        System.clearProperty("kubeconfig");
        Cli c = Cli.run("check", "k8s-node-notready", lab.targetUri(), "--format", "nagios");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).startsWith("K8S-NODE-NOTREADY OK - no findings |").contains("nodes=3");
    }

    @Test
    void explainByAlertName() {
        Cli c = Cli.run("explain", "--alert", "KubeNodeUnreachable");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("node-notready");
    }

    @Test
    void workloadsThroughTheCli() {
        lab.workloads().crashLoop(7);
        Cli c = Cli.run("check", "k8s-workloads", "k8s://", "--set", "namespace=shop", "--format", "json");
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        assertThat(c.out()).contains("\"code\" : \"NO_REPLICAS_AVAILABLE\"", "\"code\" : \"CRASH_LOOP\"",
                "\"subject\" : \"shop/Deployment/checkout\"", "kubernetes/workloads#crash-loop");
    }

    @Test
    void captureThenReplayAllFourChecksOffline() throws Exception {
        lab.nodes().unreachable("worker-1", Duration.ofMinutes(2));
        lab.workloads().crashLoop(7);
        lab.workloads().addLoad("analytics", 2, "500m", "13Gi");
        java.nio.file.Path capture = java.nio.file.Files.createTempFile("opsdoc-k8s-capture", ".json");
        try {
            Cli live = Cli.run("check", "k8s-node-notready", "k8s-workloads", "k8s-capacity", "k8s://", "--format", "json",
                    "--capture", capture.toString());
            lab.heal(); // the cluster recovered; the replay must not need it, nor give another answer later
            Thread.sleep(1100);
            Cli replay = Cli.run("replay", capture.toString(), "--format", "json");
            assertThat(replay.exit()).as(replay.all()).isEqualTo(live.exit()).isEqualTo(2);
            var liveDoc = io.opsdoc.core.Json.mapper().readTree(live.out());
            var replayDoc = io.opsdoc.core.Json.mapper().readTree(replay.out());
            for (int i = 0; i < 3; i++) {
                assertThat(replayDoc.at("/reports/" + i + "/findings")).isEqualTo(liveDoc.at("/reports/" + i + "/findings"));
            }
            assertThat(liveDoc.at("/reports/0/findings/0/code").asText()).isEqualTo("NODE_UNKNOWN");
        } finally {
            java.nio.file.Files.deleteIfExists(capture);
        }
    }

    @Test
    void bothChecksInOneRun() {
        lab.nodes().notReady("worker-2", Duration.ofMinutes(3));
        Cli c = Cli.run("check", "k8s-node-notready", "k8s-workloads", "k8s://");
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        assertThat(c.out()).contains("CRITICAL k8s-node-notready", "k8s-workloads on k8s://");
    }

    @Test
    void labSuiteRunsKubernetesScenarios() {
        Cli c = Cli.run("lab", "--suite", "kubernetes", "--scenario", "node-unreachable", "--scenario", "crash-loop",
                "--scenario", "no-room-for-replica");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("node-unreachable", "CRITICAL NODE_UNKNOWN", "CRASH_LOOP", "NO_ROOM_FOR_REPLICA",
                "3 scenarios, 3 as expected, 0 not");
    }

    @Test
    void grantsPrintRbacYamlWithOnlyGetAndList() {
        Cli c = Cli.run("grants", "k8s-node-notready", "k8s-workloads");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("# k8s:// targets, for k8s-node-notready, k8s-workloads: read-only", "kind: ClusterRole", "kind: ClusterRoleBinding",
                "name: opsdoc-k8s-node-notready", "resources: [\"nodes\", \"pods\", \"events\"]", "apiGroups: [\"coordination.k8s.io\"]",
                "name: opsdoc-k8s-workloads", "resources: [\"deployments\", \"statefulsets\", \"daemonsets\"]");
        assertThat(Cli.run("grants", "k8s-control-plane").out()).contains("nonResourceURLs: [\"/readyz\"", "verbs: [\"get\"]");
        assertThat(c.out().lines().filter(l -> l.contains("verbs:"))).allSatisfy(l -> assertThat(l.trim())
                .isEqualTo("verbs: [\"get\", \"list\"]"));
        assertThat(c.out()).doesNotContain("\n-- ");
    }

    @Test
    void aUsageErrorForAnUnknownTargetOption() {
        Cli c = Cli.run("check", "k8s-node-notready", "k8s://prod?namespace=x");
        assertThat(c.exit()).isEqualTo(64);
        assertThat(c.err()).contains("'namespace' is not supported");
    }
}
