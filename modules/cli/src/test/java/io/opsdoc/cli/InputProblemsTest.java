package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: one wording and one exit code per kind of input problem, whichever command or check meets it. A file the
 * user names that cannot be read is exit 64 with "<what> <path> cannot be read: <why>", before any connection.
 */
class InputProblemsTest {
    @TempDir
    Path dir;

    private void assertUsage(Cli c, String message) {
        assertThat(c.exit()).as(c.all()).isEqualTo(64);
        assertThat(c.err()).startsWith("opsdoc: " + message);
        assertThat(c.err().lines().findFirst().orElseThrow()).isEqualTo("opsdoc: " + message);
        assertThat(c.out()).isEmpty();
        assertThat(c.clean()).isTrue();
    }

    @Test
    void missingFilesAreUsageErrorsInOneWording() {
        String missing = dir.resolve("missing.pem").toString();
        assertUsage(Cli.run("check", "http-status", "https://127.0.0.1:1/", "--set", "ca-file=" + missing),
                "ca-file " + missing + " cannot be read: no such file");
        assertUsage(Cli.run("check", "redis-timeouts", "rediss://127.0.0.1:1?cacert=" + missing),
                "cacert " + missing + " cannot be read: no such file");
        assertUsage(Cli.run("check", "k8s-capacity", "k8s://?kubeconfig=" + missing),
                "kubeconfig " + missing + " cannot be read: no such file");
        assertUsage(Cli.run("check", "mysql-replication", "mysql://m@h", "--password-file", missing),
                "--password-file " + missing + " cannot be read: no such file");
        assertUsage(Cli.run("replay", missing), "capture " + missing + " cannot be read: no such file");
        assertUsage(Cli.run("gate", "-c", missing), "config " + missing + " cannot be read: no such file");
    }

    @Test
    void aMissingBaselineSaysNoSuchFileNotAnExceptionName() throws Exception {
        Path cfg = dir.resolve("opsdoc.yaml");
        Files.writeString(cfg, "targets:\n  web:\n    uri: http://127.0.0.1:1/\n    checks:\n      http-status: {}\n");
        String missing = dir.resolve("prev.json").toString();
        assertUsage(Cli.run("gate", "-c", cfg.toString(), "--baseline", missing),
                "--baseline " + missing + " cannot be read: no such file");
    }

    @Test
    void aDirectoryWhereAFileIsExpectedSaysSo() {
        assertUsage(Cli.run("check", "http-status", "https://127.0.0.1:1/", "--set", "ca-file=" + dir),
                "ca-file " + dir + " cannot be read: is a directory");
    }

    @Test
    void badHttpParametersAreUsageErrorsNotUnknownVerdicts() {
        Cli c = Cli.run("check", "http-status", "http://127.0.0.1:1/", "--set", "method=POST");
        assertThat(c.exit()).as(c.all()).isEqualTo(64);
        assertThat(c.err()).contains("parameter method: 'POST' is not GET or HEAD");
    }
}
