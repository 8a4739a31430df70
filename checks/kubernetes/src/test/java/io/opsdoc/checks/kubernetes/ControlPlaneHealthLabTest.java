package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.NodeReadinessLabTest.codes;
import static io.opsdoc.checks.kubernetes.NodeReadinessLabTest.finding;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.lab.kubernetes.ControlPlaneLab;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** k8s-control-plane against an HTTPS API server stand-in whose health checks and serving certificate the test sets. */
class ControlPlaneHealthLabTest {
    private static ControlPlaneLab lab;
    private final Runner runner = new Runner();
    private final ControlPlaneHealth check = new ControlPlaneHealth();

    @BeforeAll
    static void start() {
        lab = ControlPlaneLab.start();
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

    @Test
    void healthyApiServer() {
        Report r = check();
        assertThat(r.findings()).as(r.findings().toString()).isEmpty();
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("apiserver_cert_days_left")).extracting(Metric::value)
                .singleElement().satisfies(v -> assertThat(v).isBetween(333.0, 336.0));
    }

    @Test
    void etcdDownFailsReadinessAndLiveness() {
        lab.etcdDown();
        Report r = check();
        assertThat(r.status()).isEqualTo(Severity.CRITICAL);
        Finding etcd = finding(r, "ETCD_UNHEALTHY");
        assertThat(etcd.summary()).contains("[-]etcd failed: reason withheld", "etcdctl endpoint health");
        assertThat(finding(r, "APISERVER_NOT_READY").evidence()).containsEntry("status", 500);
        assertThat(codes(r)).contains("APISERVER_NOT_LIVE");
    }

    @Test
    void oneReadinessCheckFailing() {
        lab.notReady("informer-sync");
        Report r = check();
        assertThat(finding(r, "APISERVER_NOT_READY").summary()).contains("[-]informer-sync failed");
        assertThat(codes(r)).containsExactly("APISERVER_NOT_READY");
    }

    @Test
    void certificateExpiringSoon() {
        lab.certificate(-340, 365);
        Finding warn = finding(check(), "CERT_EXPIRING");
        assertThat(warn.severity()).isEqualTo(Severity.WARNING);
        assertThat(warn.summary()).contains("kubeadm certs renew apiserver");
        lab.certificate(-360, 365);
        assertThat(finding(check(), "CERT_EXPIRING").severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void certificateExpired() {
        lab.certificate(-400, 365);
        Report r = check();
        Finding f = finding(r, "CERT_EXPIRED");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("subject", "CN=kube-apiserver");
        assertThat(codes(r)).containsExactly("CERT_EXPIRED");
    }
}
