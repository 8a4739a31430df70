package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.KubeLabChecks.finding;
import static io.opsdoc.checks.kubernetes.KubeLabChecks.metric;
import static io.opsdoc.checks.kubernetes.KubeLabChecks.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Json;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Run;
import io.opsdoc.lab.kubernetes.ControlPlaneLab;
import io.opsdoc.lab.kubernetes.KubernetesLab;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the scenarios ({@code KubernetesScenarios}, {@code ControlPlaneScenarios}) cannot say as data: eviction times
 * relative to now, metric values, and a replay of recorded facts later in time. Every fault-to-code promise is a
 * scenario, run by {@link KubernetesScenariosTest} and {@link ControlPlaneScenariosTest}.
 */
@Tag("lab")
class KubeLabDetailsTest {
    private final NodeReadiness nodes = new NodeReadiness();

    private static KubernetesLab lab(String version) {
        KubernetesLab lab = KubernetesLab.shared(version);
        lab.heal();
        return lab;
    }

    /** Seconds from now until the first pod of the node is evicted, as k8s-node-notready reports it. */
    private long secondsToFirstEviction(KubernetesLab lab, String node) {
        lab.nodes().unreachable(node, Duration.ofMinutes(2));
        Instant first = (Instant) finding(report(nodes, lab.targetUri()), "EVICTION_SCHEDULED").evidence()
                .get("first_eviction");
        return Duration.between(Instant.now(), first).getSeconds();
    }

    @Test
    void fromV132EvictionStarts300sAfterTheControllerNoticedAt50s() {
        // Lease renewed 120 s ago, noticed at renew + 50 s, 300 s tolerations: 230 s from now
        assertThat(secondsToFirstEviction(lab("v1.32.2"), "worker-1")).isBetween(200L, 231L);
    }

    @Test
    void beforeV132TheControllerNoticesAt40s() {
        assertThat(secondsToFirstEviction(lab("v1.31.4"), "worker-2")).isBetween(190L, 221L);
    }

    @Test
    void recordedFactsReplayToTheSameFindingsLater() throws Exception {
        KubernetesLab lab = lab("v1.32.2");
        lab.nodes().unreachable("worker-1", Duration.ofMinutes(2));
        Run run = KubeLabChecks.run(nodes, lab.targetUri(), Map.of(), Duration.ofSeconds(10));
        NodeFacts back = Json.mapper().readValue(Json.mapper().writeValueAsString(run.facts()), NodeFacts.class);
        Thread.sleep(1100); // evaluation must not read the clock: later is the same answer
        Evaluation again = Evaluation.of(nodes, run.report().target(), back,
                Parameters.resolve(nodes.id(), nodes.parameters(), Map.of()));
        assertThat(again.findings()).isEqualTo(run.report().findings());
    }

    @Test
    void metricsOfTheHealthyCluster() {
        KubernetesLab lab = lab("v1.32.2");
        Report n = report(nodes, lab.targetUri());
        assertThat(metric(n, "nodes")).isEqualTo(3.0);
        assertThat(metric(n, "nodes_not_ready")).isZero();
        Report w = report(new WorkloadHealth(), lab.targetUri());
        assertThat(metric(w, "workloads")).isEqualTo(3.0);
        assertThat(metric(w, "pods")).isEqualTo(7.0);
        Report c = report(new ClusterCapacity(), lab.targetUri());
        assertThat(metric(c, "schedulable_nodes")).isEqualTo(2.0);
        // worker-1: 3 x 250m + 100m, worker-2: 250m + 100m, of 2 x 3800m; cp-1 is tainted and not counted
        assertThat(metric(c, "cpu_requested_percent")).isEqualTo(15.8);
    }

    @Test
    void certificateDaysLeft() {
        ControlPlaneLab cp = ControlPlaneLab.shared();
        cp.heal();
        Report r = report(new ControlPlaneHealth(), cp.targetUri());
        assertThat(metric(r, "apiserver_cert_days_left")).isBetween(333.0, 336.0);
    }
}
