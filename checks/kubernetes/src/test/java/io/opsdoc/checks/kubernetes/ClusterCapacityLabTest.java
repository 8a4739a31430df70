package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.lab.kubernetes.KubernetesLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** k8s-capacity on the lab cluster: two schedulable workers of 3800m / 15Gi allocatable, and loads added to them. */
class ClusterCapacityLabTest {
    private static KubernetesLab lab;
    private final Runner runner = new Runner();
    private final ClusterCapacity check = new ClusterCapacity();

    @BeforeAll
    static void start() {
        lab = KubernetesLab.start();
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    private Report check() {
        return runner.run(check, Target.parse(lab.targetUri()), Parameters.resolve(check.id(), check.parameters(), Map.of()),
                Optional.empty(), Duration.ofSeconds(10)).report();
    }

    private static List<String> codes(Report r) {
        return NodeReadinessLabTest.codes(r);
    }

    @Test
    void healthyClusterHasRoom() {
        Report r = check();
        assertThat(r.findings()).isEmpty();
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("schedulable_nodes")).extracting(Metric::value).containsExactly(2.0);
        // worker-1: 3 x 250m + 100m, worker-2: 250m + 100m, of 2 x 3800m; cp-1 is tainted and not counted
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("cpu_requested_percent")).extracting(Metric::value)
                .containsExactly(15.8);
    }

    @Test
    void memoryRequestsNearlyFillTheCluster() {
        lab.addLoad("analytics", 2, "500m", "13Gi");
        Report r = check();
        Finding f = NodeReadinessLabTest.finding(r, "REQUESTS_HIGH");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.subject()).isEqualTo("memory");
        assertThat(f.summary()).contains("of the memory the 2 schedulable nodes (not counted: cp-1 (node-role.kubernetes.io/control-plane:NoSchedule))");
        assertThat((Double) f.evidence().get("requested_percent")).isGreaterThan(90.0);
        assertThat(codes(r)).contains("CANNOT_LOSE_A_NODE", "NO_ROOM_FOR_REPLICA");
    }

    @Test
    void manySmallPodsWouldNotFitIfAWorkerFailed() {
        lab.addLoad("api-fleet", 16, "100m", "1Gi");
        Report r = check();
        Finding f = NodeReadinessLabTest.finding(r, "CANNOT_LOSE_A_NODE");
        assertThat(f.summary()).contains("would request more memory");
        assertThat(codes(r)).containsExactly("CANNOT_LOSE_A_NODE");
    }

    @Test
    void theLargestPodsHaveNoRoomForOneMore() {
        lab.addLoad("ml-training", 2, "500m", "8Gi");
        Report r = check();
        Finding f = NodeReadinessLabTest.finding(r, "NO_ROOM_FOR_REPLICA");
        assertThat(f.subject()).isEqualTo("shop/Deployment/ml-training");
        assertThat(f.evidence()).containsEntry("pod_requests", "cpu 500m, memory 8Gi");
        assertThat(codes(r)).doesNotContain("REQUESTS_HIGH");
    }

    @Test
    void quantitiesParseLikeTheApiServer() {
        assertThat(Quantities.millicores("250m")).isEqualTo(250);
        assertThat(Quantities.millicores("1.5")).isEqualTo(1500);
        assertThat(Quantities.bytes("512Mi")).isEqualTo(512L << 20);
        assertThat(Quantities.bytes("2G")).isEqualTo(2_000_000_000L);
        assertThat(Quantities.bytes("1e3")).isEqualTo(1000);
        assertThat(Quantities.memory(15L << 30)).isEqualTo("15Gi");
        assertThat(Quantities.cpu(3800)).isEqualTo("3800m");
    }
}
