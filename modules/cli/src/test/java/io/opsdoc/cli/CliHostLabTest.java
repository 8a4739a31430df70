package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.lab.SilentTcpServer;
import io.opsdoc.lab.host.HostLab;
import io.opsdoc.lab.support.LabFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `opsdoc check linux-disk` end to end, on local: and through a real sshd as an ordinary user with a
 * passphrase-protected key: exit codes, what the text names, host-key refusal, and no secret in any output.
 */
@Tag("lab")
class CliHostLabTest {
    private static HostLab ssh;
    private static HostLab local;

    @BeforeAll
    static void startLabs() {
        String missing = HostLab.unavailable(HostLab.SSH);
        if (missing != null && !"true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "host lab: " + missing);
        }
        ssh = HostLab.shared(HostLab.SSH);
        local = HostLab.shared(HostLab.LOCAL);
    }

    @AfterEach
    void heal() {
        ssh.heal();
        local.heal();
    }

    private static Map<String, String> env() {
        return Map.of("OPSDOC_PASSWORD", ssh.passphrase());
    }

    @Test
    void aFileSystemFilledTo95PercentIsCriticalOverSshNamingMountPercentAndNote() {
        ssh.fillDisk(95);
        // a cold JVM on a loaded machine: class loading, the key's bcrypt KDF and the key exchange take seconds
        Cli c = Cli.run(env(), "check", "linux-disk", ssh.target(), "--set", "mounts=" + ssh.fileSystem(), "--timeout",
                "30s");
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        assertThat(c.out().lines().findFirst().orElseThrow()).startsWith("CRITICAL linux-disk on ssh://opsdoc@127.0.0.1:"
                + ssh.sshPort());
        assertThat(c.out()).contains(ssh.fileSystem() + " is 95% full").contains("linux-disk#DISK_USAGE_CRITICAL");
        assertThat(c.all()).doesNotContain(ssh.passphrase());
        assertThat(c.clean()).as(c.all()).isTrue();
    }

    @Test
    void theSameOnLocal() {
        local.fillDisk(95);
        Cli c = Cli.run("check", "linux-disk", "local:", "--set", "mounts=" + local.fileSystem(), "--format", "nagios");
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        assertThat(c.out()).startsWith("LINUX-DISK CRITICAL").contains(local.fileSystem()).contains("95%");
    }

    @Test
    void aChangedHostKeyIsRefusedWithWhatToDo() {
        ssh.changeHostKey();
        Cli c = Cli.run(env(), "check", "linux-disk", "linux-inodes", ssh.target(), "--set", "mounts=" + ssh.fileSystem(),
                "--timeout", "30s");
        assertThat(c.exit()).as(c.all()).isEqualTo(3);
        assertThat(c.out()).contains("SSH_HOST_KEY_CHANGED").contains("ssh-keygen -R '[127.0.0.1]:" + ssh.sshPort() + "'")
                .contains("SHA256:");
        assertThat(c.all()).doesNotContain(ssh.passphrase());
        assertThat(c.clean()).as(c.all()).isTrue();
    }

    @Test
    void anUnknownHostKeyIsRefusedWithTheKeyscanLine() {
        ssh.forgetHostKey();
        Cli c = Cli.run(env(), "check", "linux-zombies", ssh.target(), "--timeout", "30s");
        assertThat(c.exit()).as(c.all()).isEqualTo(3);
        assertThat(c.out()).contains("SSH_HOST_KEY_UNKNOWN").contains("ssh-keyscan -p " + ssh.sshPort() + " 127.0.0.1");
    }

    @Test
    void aWrongPassphraseIsAuthFailedAndNeitherPassphraseIsPrinted() {
        String wrong = "not-the-passphrase-" + System.nanoTime();
        Cli c = Cli.run(Map.of("OPSDOC_PASSWORD", wrong), "check", "linux-disk", ssh.target(), "--format", "json",
                "--timeout", "30s");
        assertThat(c.exit()).as(c.all()).isEqualTo(3);
        assertThat(c.out()).contains("AUTH_FAILED").contains("wrong passphrase");
        assertThat(c.all()).doesNotContain(wrong).doesNotContain(ssh.passphrase());
    }

    @Test
    void aRefusedPortAndAPortThatNeverSpeaksAreUnknownWithinTheDeadline() {
        try (SilentTcpServer silent = SilentTcpServer.start()) {
            String target = "ssh://opsdoc@127.0.0.1:" + silent.port() + "?identity=" + ssh.identity()
                    + "&known-hosts=" + ssh.knownHostsFile();
            Cli c = Cli.run(env(), "check", "linux-disk", target, "--timeout", "2s");
            assertThat(c.exit()).as(c.all()).isEqualTo(3);
            assertThat(c.out()).contains("TIMEOUT");
            assertThat(c.millis()).isLessThan(6000);
        }
        Cli refused = Cli.run(env(), "check", "linux-disk", "ssh://opsdoc@127.0.0.1:1?identity=" + ssh.identity(),
                "--timeout", "3s");
        assertThat(refused.exit()).as(refused.all()).isEqualTo(3);
        assertThat(refused.out()).contains("UNREACHABLE");
        assertThat(refused.clean()).as(refused.all()).isTrue();
    }

    @Test
    void aKeyHeldByARealSshAgentLogsInWithoutAKeyFile() throws Exception {
        Path dir = LabFiles.tempDir("opsdoc-agent");
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Awaitility.await("ssh-agent socket").atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
            // ssh-add reads the key's passphrase from an askpass program; it gets it from the environment, not argv
            Path askpass = Files.writeString(dir.resolve("askpass"), "#!/bin/sh\nprintf '%s\\n' \"$LAB_PASSPHRASE\"\n");
            Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
            ProcessBuilder add = new ProcessBuilder("ssh-add", "-q", ssh.identity().toString()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            add.environment().putAll(Map.of("SSH_AUTH_SOCK", socket.toString(), "SSH_ASKPASS", askpass.toString(),
                    "SSH_ASKPASS_REQUIRE", "force", "LAB_PASSPHRASE", ssh.passphrase()));
            Process added = add.start();
            String said = new String(added.getInputStream().readAllBytes());
            assertThat(added.waitFor(20, TimeUnit.SECONDS) && added.exitValue() == 0).as("ssh-add: " + said).isTrue();

            String target = "ssh://opsdoc@127.0.0.1:" + ssh.sshPort() + "?known-hosts=" + ssh.knownHostsFile() + "&agent=";
            // no key file, no passphrase: only the agent can sign the login
            Cli c = Cli.run(Map.of(), "check", "linux-disk", target + socket, "--set", "mounts=" + ssh.fileSystem(),
                    "--timeout", "30s");
            assertThat(c.exit()).as(c.all()).isZero();
            assertThat(c.out()).startsWith("OK linux-disk on ssh://opsdoc@127.0.0.1:" + ssh.sshPort());

            Cli without = Cli.run(Map.of(), "check", "linux-disk", target + "no", "--timeout", "30s");
            assertThat(without.exit()).as(without.all()).isEqualTo(3);
            assertThat(without.out()).contains("AUTH_FAILED");

            Cli gone = Cli.run(Map.of(), "check", "linux-disk", target + dir.resolve("no-such.sock"), "--timeout", "30s");
            assertThat(gone.exit()).as(gone.all()).isEqualTo(3);
            assertThat(gone.out()).contains("no SSH agent socket at " + dir.resolve("no-such.sock"));
            assertThat(c.all() + without.all() + gone.all()).doesNotContain(ssh.passphrase());
        } finally {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
            LabFiles.deleteRecursively(dir);
        }
    }

    @Test
    void grantsSayAnOrdinaryUserWithAKeyAndNoSudo() {
        Cli c = Cli.run("grants", "linux-disk");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("useradd").contains("authorized_keys").contains("no sudo").contains("df -P -T -k");
    }
}
