package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.KubeLabChecks.finding;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.SilentTcpServer;
import io.opsdoc.lab.kubernetes.KubeconfigFile;
import io.opsdoc.lab.kubernetes.StatusApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the API server cannot be asked, each Kubernetes check says exactly why, as UNKNOWN, within its deadline. */
class KubeProbeErrorsTest {
    private final NodeReadiness check = new NodeReadiness();

    @TempDir
    Path dir;

    private Report run(String uri, Duration timeout) {
        return KubeLabChecks.run(check, uri, Map.of(), timeout).report();
    }

    @Test
    void anApiServerThatNeverAnswersIsATimeoutWithinTheDeadline() {
        try (SilentTcpServer silent = SilentTcpServer.start()) {
            Path kubeconfig = KubeconfigFile.write(dir, "http://127.0.0.1:" + silent.port());
            long t0 = System.nanoTime();
            Report r = run("k8s://?kubeconfig=" + kubeconfig, Duration.ofSeconds(2));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Finding f = finding(r, "TIMEOUT");
            assertThat(f.severity()).isEqualTo(Severity.UNKNOWN);
            assertThat(r.findings()).hasSize(1);
            assertThat(ms).isLessThan(4_000);
            assertThat(silent.acceptedConnections()).isPositive();
        }
    }

    @Test
    void nothingListeningIsUnreachable() {
        Path kubeconfig = KubeconfigFile.write(dir, "http://127.0.0.1:" + Ports.closedPort());
        Finding f = finding(run("k8s://?kubeconfig=" + kubeconfig, Duration.ofSeconds(5)), "UNREACHABLE");
        assertThat(f.summary()).contains("cannot connect to the API server http://127.0.0.1:" + Ports.closedPort());
    }

    @Test
    void rejectedCredentialsAreAuthFailed() {
        try (StatusApiServer server = StatusApiServer.answering(401)) {
            Finding f = finding(run(server.targetUri(), Duration.ofSeconds(5)), "AUTH_FAILED");
            assertThat(f.severity()).isEqualTo(Severity.UNKNOWN);
            assertThat(f.summary()).contains("401 Unauthorized", "context 'opsdoc-lab'").doesNotContain("opsdoc-lab-token");
        }
    }

    @Test
    void missingRbacIsPermissionDeniedPointingAtTheGrants() {
        try (StatusApiServer server = StatusApiServer.answering(403)) {
            Finding f = finding(run(server.targetUri(), Duration.ofSeconds(5)), "PERMISSION_DENIED");
            assertThat(f.summary()).contains("forbidden", "opsdoc grants k8s-node-notready");
        }
    }

    @Test
    void aMissingKubeconfigFileIsAUsageErrorInTheCommonWording() {
        // like every file a user names (InputFiles): exit 64 before any connection, not an UNKNOWN verdict
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("k8s://?kubeconfig=" + dir.resolve("nope"),
                Duration.ofSeconds(5))).isInstanceOf(io.opsdoc.core.UsageException.class)
                .hasMessage("kubeconfig " + dir.resolve("nope") + " cannot be read: no such file");
    }
}
