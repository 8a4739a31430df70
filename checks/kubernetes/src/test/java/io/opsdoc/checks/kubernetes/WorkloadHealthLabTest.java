package io.opsdoc.checks.kubernetes;

import org.junit.jupiter.api.Tag;
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

/** Every finding code of k8s-workloads from a workload written the way the controllers and the kubelet leave it, and none when healthy. */
@Tag("lab")
class WorkloadHealthLabTest {
    private static KubernetesLab lab;
    private final Runner runner = new Runner();
    private final WorkloadHealth check = new WorkloadHealth();

    @BeforeAll
    static void start() {
        lab = KubernetesLab.start("v1.31.4");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    private Report check(Map<String, String> params) {
        return runner.run(check, Target.parse(lab.targetUri()), Parameters.resolve(check.id(), check.parameters(), params),
                Optional.empty(), Duration.ofSeconds(10)).report();
    }

    private Report check() {
        return check(Map.of());
    }

    private static List<String> codes(Report r) {
        return NodeReadinessLabTest.codes(r);
    }

    private static Finding finding(Report r, String code) {
        return NodeReadinessLabTest.finding(r, code);
    }

    @Test
    void healthyWorkloadsHaveNoFindings() {
        Report r = check();
        assertThat(r.findings()).isEmpty();
        assertThat(r.status()).isEqualTo(Severity.OK);
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("workloads")).extracting(Metric::value).containsExactly(3.0);
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("pods")).extracting(Metric::value).containsExactly(7.0);
    }

    @Test
    void crashLoopingDeploymentHasNoReplicasAndSaysWhy() {
        lab.crashLoop(7);
        Report r = check();
        assertThat(r.status()).isEqualTo(Severity.CRITICAL);
        Finding none = finding(r, "NO_REPLICAS_AVAILABLE");
        assertThat(none.subject()).isEqualTo("shop/Deployment/checkout");
        assertThat(none.summary()).contains("Deployment shop/checkout has 0 of 2 replicas available", "2 CrashLoopBackOff");
        Finding crash = finding(r, "CRASH_LOOP");
        assertThat(crash.severity()).isEqualTo(Severity.WARNING);
        assertThat(crash.evidence()).containsEntry("restartCount", 7).containsEntry("last_reason", "Error")
                .containsEntry("last_exit_code", 1).containsEntry("pods_crashlooping", 2L);
        assertThat(crash.summary()).contains("2 of 2 pods", "restarted 7 times", "--previous");
        assertThat(codes(r)).doesNotContain("RESTARTING_OFTEN", "OOM_KILLED");
    }

    @Test
    void containerRestartingOftenBetweenCrashes() {
        lab.restartingOften(6, Duration.ofSeconds(50));
        Report r = check();
        Finding f = finding(r, "RESTARTING_OFTEN");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.summary()).contains("restarted 6 times", "exit code 2");
        assertThat(codes(r)).containsExactly("RESTARTING_OFTEN");
        // the thresholds are parameters: 6 restarts is not "more than 10"
        assertThat(codes(check(Map.of("restarts", "10")))).isEmpty();
        assertThat(codes(check(Map.of("restart-window", "30s")))).isEmpty();
    }

    @Test
    void imageThatDoesNotExist() {
        lab.imagePullBackOff();
        Report r = check();
        Finding f = finding(r, "IMAGE_PULL_FAILING");
        assertThat(f.evidence()).containsEntry("image", "registry.example.com/shop/api:1.4.3")
                .containsEntry("imagePullPolicy", "IfNotPresent").containsEntry("reason", "ImagePullBackOff");
        assertThat(f.summary()).contains("no such image or tag");
        assertThat(finding(r, "NO_REPLICAS_AVAILABLE").summary()).contains("1 ImagePullBackOff");
    }

    @Test
    void requestsNoNodeCanSatisfy() {
        lab.unschedulable();
        Report r = check();
        Finding f = finding(r, "UNSCHEDULABLE");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("reason", "Unschedulable");
        assertThat((String) f.evidence().get("requests")).contains("memory=48Gi");
        assertThat(f.summary()).contains("1 pod of Deployment shop/search is Pending for 12m", "2 Insufficient memory", "no node has enough free resources");
    }

    @Test
    void memoryLimitTooSmall() {
        lab.oomKilled();
        Report r = check();
        Finding f = finding(r, "OOM_KILLED");
        assertThat(f.evidence()).containsEntry("memory_limit", "128Mi").containsEntry("restartCount", 3);
        assertThat(f.summary()).contains("OOMKilled", "128Mi is too small");
        assertThat(codes(r)).containsExactly("OOM_KILLED");
    }

    @Test
    void podsWithoutRequestsOrLimits() {
        lab.bestEffort();
        Report r = check();
        Finding f = finding(r, "BESTEFFORT_POD");
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.subject()).isEqualTo("shop/Deployment/reports");
        assertThat(r.status().exitCode()).isZero();
        assertThat(codes(r)).containsExactly("BESTEFFORT_POD");
    }

    @Test
    void oneReplicaMissingAndThenAll() {
        lab.replicasBelowDesired(2);
        Report r = check();
        Finding f = finding(r, "REPLICAS_BELOW_DESIRED");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("desired", 3).containsEntry("available", 2);
        assertThat(f.summary()).contains("2 of 3", "1 not Ready", "no rollout explains it");
        assertThat(codes(r)).containsExactly("REPLICAS_BELOW_DESIRED");
        lab.heal();
        lab.replicasBelowDesired(0);
        Report none = check();
        assertThat(finding(none, "NO_REPLICAS_AVAILABLE").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(codes(none)).doesNotContain("REPLICAS_BELOW_DESIRED");
    }

    @Test
    void servingWithoutProbes() {
        lab.noProbes();
        Report r = check();
        Finding f = finding(r, "PROBES_MISSING");
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.summary()).contains("port 8080", "readiness or liveness");
        assertThat(codes(r)).containsExactly("PROBES_MISSING");
    }

    @Test
    void oneNamespaceOnly() {
        lab.crashLoop(7);
        assertThat(check(Map.of("namespace", "kube-system")).findings()).isEmpty();
        assertThat(codes(check(Map.of("namespace", "shop")))).contains("CRASH_LOOP");
    }

    @Test
    void defaultPullPolicyFollowsTheTag() {
        assertThat(WorkloadHealth.defaultPullPolicy("nginx")).isEqualTo("Always");
        assertThat(WorkloadHealth.defaultPullPolicy("nginx:latest")).isEqualTo("Always");
        assertThat(WorkloadHealth.defaultPullPolicy("registry:5000/nginx")).isEqualTo("Always");
        assertThat(WorkloadHealth.defaultPullPolicy("registry:5000/nginx:1.27")).isEqualTo("IfNotPresent");
        assertThat(WorkloadHealth.defaultPullPolicy("nginx@sha256:abc")).isEqualTo("IfNotPresent");
    }
}
