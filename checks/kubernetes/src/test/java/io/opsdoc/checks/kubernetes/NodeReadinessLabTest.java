package io.opsdoc.checks.kubernetes;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Run;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import io.opsdoc.lab.kubernetes.KubernetesLab;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every finding code of k8s-node-notready, produced from a fault written into a mock API server the way the kubelet
 * and the node-lifecycle controller leave it in a real cluster, and absent on the healthy cluster. The server
 * reports v1.32 (grace period 50 s); the version rule is also checked against a v1.31 server (40 s).
 */
@Tag("lab")
class NodeReadinessLabTest {
    private static KubernetesLab lab;
    private final Runner runner = new Runner();
    private final NodeReadiness check = new NodeReadiness();

    @BeforeAll
    static void start() {
        lab = KubernetesLab.start("v1.32.2");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    static Run run(NodeReadiness check, Runner runner, String uri, Map<String, String> params, Duration timeout) {
        return runner.run(check, Target.parse(uri), Parameters.resolve(check.id(), check.parameters(), params),
                Optional.empty(), timeout);
    }

    private Report check(Map<String, String> params) {
        return run(check, runner, lab.targetUri(), params, Duration.ofSeconds(10)).report();
    }

    private Report check() {
        return check(Map.of());
    }

    static List<String> codes(Report r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    static Finding finding(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + codes(r) + ": " + r.findings()));
    }

    @Test
    void healthyClusterHasNoFindings() {
        Report r = check();
        assertThat(r.findings()).isEmpty();
        assertThat(r.status()).isEqualTo(Severity.OK);
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("nodes")).extracting(Metric::value).containsExactly(3.0);
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("nodes_not_ready")).extracting(Metric::value).containsExactly(0.0);
    }

    @Test
    void nodeWhoseLeaseStoppedTwoMinutesAgoIsUnknownWithItsEvictionTime() {
        lab.nodeUnreachable("worker-1", Duration.ofMinutes(2));
        Report r = check();
        assertThat(r.status()).isEqualTo(Severity.CRITICAL);
        Finding f = finding(r, "NODE_UNKNOWN");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.subject()).isEqualTo("worker-1");
        assertThat(f.note()).isEqualTo("kubernetes/node-notready#node-unknown");
        assertThat(f.summary()).contains("node worker-1 is unreachable", "has not reported for 2m0s", "Ready=Unknown since",
                "eviction of its 3 evictable pods starts at", "300s toleration (the default)", "systemctl status kubelet");
        assertThat(f.evidence()).containsEntry("Ready", "Unknown").containsEntry("reason", "NodeStatusUnknown")
                .containsEntry("grace_period", "50s").containsEntry("lease_age", "2m0s");
        assertThat((String) f.evidence().get("rule")).contains("default from Kubernetes v1.32", "v1.32.2");
        // the controller noticed at renew + 50 s, so the 300 s tolerations end 230 s from now
        Finding ev = finding(r, "EVICTION_SCHEDULED");
        assertThat(ev.severity()).isEqualTo(Severity.WARNING);
        assertThat(ev.evidence()).containsEntry("taint", "node.kubernetes.io/unreachable:NoExecute")
                .containsEntry("pods_evictable", 3).containsEntry("pods_staying", 1);
        Instant first = (Instant) ev.evidence().get("first_eviction");
        assertThat(Duration.between(Instant.now(), first).getSeconds()).isBetween(200L, 231L);
        assertThat(codes(r)).doesNotContain("LEASE_STALE", "NODE_NOT_READY", "PODS_EVICTING");
        assertThat(r.findings()).extracting(Finding::subject).containsOnly("worker-1");
    }

    @Test
    void beforeV132TheGracePeriodIs40Seconds() {
        try (KubernetesLab old = KubernetesLab.start("v1.31.4")) {
            old.nodeUnreachable("worker-2", Duration.ofMinutes(2));
            Report r = run(check, runner, old.targetUri(), Map.of(), Duration.ofSeconds(10)).report();
            Finding f = finding(r, "NODE_UNKNOWN");
            assertThat(f.evidence()).containsEntry("grace_period", "40s");
            assertThat((String) f.evidence().get("rule")).contains("40s", "before Kubernetes v1.32", "v1.31.4");
            Instant first = (Instant) finding(r, "EVICTION_SCHEDULED").evidence().get("first_eviction");
            // noticed at renew + 40 s: 10 s earlier than on v1.32
            assertThat(Duration.between(Instant.now(), first).getSeconds()).isBetween(190L, 221L);
        }
    }

    @Test
    void anExplicitGracePeriodOverridesTheVersionDefault() {
        lab.leaseStale("worker-2", Duration.ofSeconds(45));
        assertThat(codes(check())).doesNotContain("LEASE_STALE");
        Finding f = finding(check(Map.of("grace-period", "30s")), "LEASE_STALE");
        assertThat((String) f.evidence().get("rule")).contains("set with grace-period");
    }

    @Test
    void afterTheTolerationEndsThePodsAreBeingEvicted() {
        lab.nodeUnreachable("worker-1", Duration.ofMinutes(8));
        Report r = check();
        Finding f = finding(r, "PODS_EVICTING");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("pods_past_eviction", 3);
        assertThat(f.summary()).contains("stay Terminating until the kubelet comes back");
        assertThat(finding(r, "NODE_UNKNOWN").summary()).contains("eviction of its 3 evictable pods started at");
        assertThat(codes(r)).doesNotContain("EVICTION_SCHEDULED");
    }

    @Test
    void kubeletReportingNotReadyIsNotReadyWithTheKubeletsReason() {
        lab.nodeNotReady("worker-2", Duration.ofMinutes(3));
        Report r = check();
        Finding f = finding(r, "NODE_NOT_READY");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("Ready", "False").containsEntry("reason", "KubeletNotReady");
        assertThat(f.summary()).contains("reports NotReady", "cni plugin not initialized", "Lease is current",
                "network plugin is not ready", "node.kubernetes.io/not-ready");
        assertThat(finding(r, "EVICTION_SCHEDULED").evidence()).containsEntry("taint", "node.kubernetes.io/not-ready:NoExecute");
        assertThat(codes(r)).doesNotContain("NODE_UNKNOWN", "LEASE_STALE");
    }

    @Test
    void staleLeaseOnAReadyNodePointsAtTheControllerManager() {
        lab.leaseStale("worker-1", Duration.ofMinutes(3));
        Report r = check();
        Finding f = finding(r, "LEASE_STALE");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.summary()).contains("last renewed its Lease 3m0s ago", "still Ready=True", "kube-controller-manager");
        assertThat(codes(r)).containsExactly("LEASE_STALE");
    }

    @Test
    void diskPressure() {
        lab.nodePressure("worker-2", "DiskPressure", Duration.ofMinutes(12));
        Report r = check();
        Finding f = finding(r, "NODE_PRESSURE");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("DiskPressure_reason", "KubeletHasDiskPressure");
        assertThat(f.summary()).contains("DiskPressure since", "df -h");
        assertThat(codes(r)).containsExactly("NODE_PRESSURE");
    }

    @Test
    void memoryPressure() {
        lab.nodePressure("worker-1", "MemoryPressure", Duration.ofMinutes(2));
        assertThat(finding(check(), "NODE_PRESSURE").summary()).contains("MemoryPressure", "free -m");
    }

    @Test
    void podNetworkNotConfigured() {
        lab.networkUnavailable("worker-2");
        Finding f = finding(check(), "NETWORK_UNAVAILABLE");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("reason", "NoRouteCreated");
    }

    @Test
    void cordonedNodeIsInfoThenWarningWhenForgotten() {
        lab.cordon("worker-1", Duration.ofHours(1));
        Finding recent = finding(check(), "NODE_CORDONED");
        assertThat(recent.severity()).isEqualTo(Severity.INFO);
        assertThat(recent.summary()).contains("cordoned since", "(1h0m)");
        lab.heal();
        lab.cordon("worker-1", Duration.ofDays(3));
        Report r = check();
        Finding old = finding(r, "NODE_CORDONED");
        assertThat(old.severity()).isEqualTo(Severity.WARNING);
        assertThat(old.summary()).contains("kubectl uncordon worker-1");
        assertThat(codes(r)).containsExactly("NODE_CORDONED");
    }

    @Test
    void cordonedNodeThatGoesDownIsMaintenanceNotAPage() {
        lab.cordon("worker-1", Duration.ofMinutes(20));
        lab.nodeUnreachable("worker-1", Duration.ofMinutes(2));
        Finding f = finding(check(), "NODE_UNKNOWN");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.summary()).contains("planned maintenance");
    }

    @Test
    void kubeletTooFarBehindOrAheadOfTheApiServer() {
        lab.kubeletVersion("worker-1", "v1.28.9");
        lab.kubeletVersion("worker-2", "v1.33.1");
        Report r = check();
        assertThat(r.findings()).filteredOn(f -> f.code().equals("KUBELET_VERSION_SKEW")).extracting(Finding::subject)
                .containsExactlyInAnyOrder("worker-1", "worker-2");
        assertThat(r.findings()).filteredOn(f -> "worker-1".equals(f.subject())).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("4 minor versions behind", "supported 3"));
        lab.heal();
        lab.kubeletVersion("worker-1", "v1.29.9"); // three behind: within the policy since v1.28
        assertThat(check().findings()).isEmpty();
    }

    @Test
    void aNamedContextAndAMissingOne() {
        String kubeconfig = lab.kubeconfig().toString();
        assertThat(run(check, runner, "k8s://elsewhere?kubeconfig=" + kubeconfig, Map.of(), Duration.ofSeconds(10))
                .report().status()).isEqualTo(Severity.OK);
        Report r = run(check, runner, "k8s://?context=nope&kubeconfig=" + kubeconfig, Map.of(), Duration.ofSeconds(10)).report();
        Finding f = finding(r, "PROBE_FAILED");
        assertThat(f.summary()).contains("no context 'nope'", "contexts: opsdoc-lab, elsewhere");
    }

    @Test
    void unknownTargetOptionsAndPortsAreUsageErrors() {
        assertThatThrownBy(() -> check.validate(Target.parse("k8s://ctx?namespace=x"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("'namespace' is not supported");
        assertThatThrownBy(() -> check.validate(Target.parse("k8s://10.0.0.1:6443"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("not host:port");
        assertThatThrownBy(() -> check.validate(Target.parse("k8s://admin@ctx"))).isInstanceOf(UsageException.class);
        assertThat(KubeTarget.of(Target.parse("k8s://?context=arn:aws:eks:eu-west-1:123:cluster/prod")).context())
                .isEqualTo("arn:aws:eks:eu-west-1:123:cluster/prod");
        assertThat(KubeTarget.of(Target.parse("k8s://kind-dev")).context()).isEqualTo("kind-dev");
        assertThat(KubeTarget.of(Target.parse("k8s://")).context()).isNull();
        check.validate(Target.parse("k8s://"));
        check.validate(Target.parse("k8s://prod-eu?kubeconfig=/etc/k.yaml"));
    }

    @Test
    void recordedFactsReplayToTheSameFindings() throws Exception {
        lab.nodeUnreachable("worker-1", Duration.ofMinutes(2));
        Run run = run(check, runner, lab.targetUri(), Map.of(), Duration.ofSeconds(10));
        String json = Json.mapper().writeValueAsString(run.facts());
        NodeFacts back = Json.mapper().readValue(json, NodeFacts.class);
        Thread.sleep(1100); // evaluation must not read the clock: later is the same answer
        Evaluation again = Evaluation.of(check, run.report().target(), back,
                Parameters.resolve(check.id(), check.parameters(), Map.of()));
        assertThat(again.findings()).isEqualTo(run.report().findings());
    }
}
