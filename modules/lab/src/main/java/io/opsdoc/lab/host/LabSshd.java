package io.opsdoc.lab.host;

import io.opsdoc.lab.Ports;
import io.opsdoc.lab.support.Passwords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Debian's OpenSSH server on a loopback port, with its own host key, for the test user {@value #USER} who logs in
 * with a passphrase-protected ed25519 key. Its authorized_keys lives in the lab directory, so the user's home is
 * never touched; the user itself is created once (no password, not locked, home /).
 */
public final class LabSshd implements AutoCloseable {
    public static final String USER = "opsdoc";
    static final String SSHD = "/usr/sbin/sshd";

    private final Path dir;
    private final int port;
    private final String passphrase = Passwords.random();
    private Process process;

    private LabSshd(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Null when this machine can run it, else what is missing. */
    public static String unavailable() {
        if (!Files.isExecutable(Path.of(SSHD))) {
            return SSHD + " is not installed (Debian package openssh-server; .ci/install-peers installs it)";
        }
        if (!Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))) {
            return "ssh-keygen is not installed (Debian package openssh-client)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the ssh lab creates a test user and runs sshd: it needs root";
        }
        return null;
    }

    public static LabSshd start(Path labDir) {
        Path dir = labDir.resolve("ssh");
        LabSshd sshd = new LabSshd(dir, Ports.freePort());
        try {
            sshd.setUp();
            sshd.launch();
            return sshd;
        } catch (RuntimeException e) {
            sshd.close();
            throw e;
        }
    }

    private void setUp() {
        try {
            Files.createDirectories(dir.resolve("authorized_keys"));
            Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory, absent without systemd
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "opsdoc-lab-host", "-f", hostKey().toString());
        Commands.run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "opsdoc-lab-host-rsa", "-f",
                rsaHostKey().toString());
        Commands.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "opsdoc-lab-other-host", "-f",
                dir.resolve("other_hostkey").toString());
        Commands.run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-C", "opsdoc-lab-other-host-ecdsa", "-f",
                dir.resolve("other_hostkey_ecdsa").toString());
        Commands.run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "opsdoc-lab-user", "-f",
                identity().toString());
        ensureUser();
        try {
            Path keys = dir.resolve("authorized_keys").resolve(USER);
            Files.copy(Path.of(identity() + ".pub"), keys);
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-r--r--"));
            String name = "[127.0.0.1]:" + port + " ";
            Files.writeString(knownHosts(), name + publicPart(Path.of(hostKey() + ".pub")) + "\n");
            Files.writeString(changedKnownHosts(), name + publicPart(dir.resolve("other_hostkey.pub")) + "\n");
            Files.writeString(emptyKnownHosts(), "");
            Files.writeString(rsaOnlyKnownHosts(), name + publicPart(Path.of(rsaHostKey() + ".pub")) + "\n");
            Files.writeString(otherTypeKnownHosts(), name + publicPart(dir.resolve("other_hostkey_ecdsa.pub")) + "\n");
            Files.writeString(config(), String.join("\n", List.of(
                    "ListenAddress 127.0.0.1",
                    "Port " + port,
                    "HostKey " + hostKey(),
                    "HostKey " + rsaHostKey(),
                    "PidFile " + dir.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys") + "/%u",
                    // the lab directory sits under /tmp (mode 1777), which StrictModes rejects as a parent
                    "StrictModes no",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes",
                    "UsePAM no",
                    "AllowUsers " + USER,
                    "AllowTcpForwarding no",
                    "X11Forwarding no",
                    "PermitRootLogin no",
                    "LogLevel ERROR")) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run(SSHD, "-t", "-f", config().toString());
    }

    private static String publicPart(Path pub) throws IOException {
        String[] f = Files.readString(pub).trim().split("\\s+");
        return f[0] + " " + f[1];
    }

    /** The test user: created once per machine, never given a password ('*': no password, yet not locked). */
    private static void ensureUser() {
        boolean exists;
        try {
            exists = Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(USER + ":"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!exists) {
            Commands.run("useradd", "--system", "--no-create-home", "--home-dir", "/", "--shell", "/bin/sh",
                    USER);
        }
        Commands.run("usermod", "-p", "*", USER);
    }

    private void launch() {
        try {
            process = new ProcessBuilder(SSHD, "-D", "-e", "-f", config().toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Awaitility.await("sshd listening on 127.0.0.1:" + port).atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("sshd exited " + process.exitValue() + ": " + log());
                        }
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("sshd did not listen on " + port + " in 20 s: " + log(), e);
        }
    }

    /**
     * A second sshd with the same keys and user inside network namespace {@code ns}, listening on {@code address} and
     * this sshd's port: commands run there see that namespace's /proc/sys/net and /proc/net. Returns what stops it.
     */
    public Process launchInNetns(String ns, String address) {
        return launchIn(List.of("ip", "netns", "exec", ns), ns, address);
    }

    /**
     * The same second sshd, started through {@code enter} (a command prefix that joins the namespaces of a lab
     * "host", e.g. {@code nsenter -t PID --net --mount --pid}); {@code name} tells its files apart.
     */
    public Process launchIn(List<String> enter, String name, String address) {
        String ns = name;
        Path config = dir.resolve("sshd_config." + ns);
        Path log = dir.resolve("sshd." + ns + ".log");
        try {
            Files.writeString(config, Files.readString(config()).replace("ListenAddress 127.0.0.1",
                    "ListenAddress " + address).replace("sshd.pid", "sshd." + ns + ".pid"));
            Files.writeString(netnsKnownHosts(), "[" + address + "]:" + port + " "
                    + publicPart(Path.of(hostKey() + ".pub")) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process p;
        try {
            List<String> argv = new java.util.ArrayList<>(enter);
            argv.addAll(List.of(SSHD, "-D", "-e", "-f", config.toString()));
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Awaitility.await("sshd listening on " + address + ":" + port + " in " + ns).atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("sshd in " + ns + " exited " + p.exitValue());
                        }
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(address, port), 500);
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    });
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        return p;
    }

    /**
     * A known_hosts file {@code name} in the lab directory pinning this sshd's host key (or, {@code changed}, another
     * key: a reinstalled host) for each of {@code addresses} on this sshd's port: the peers of a multi-host target.
     */
    public Path knownHostsFor(String name, List<String> addresses, boolean changed) {
        Path file = dir.resolve(name);
        try {
            String key = publicPart(changed ? dir.resolve("other_hostkey.pub") : Path.of(hostKey() + ".pub"));
            StringBuilder b = new StringBuilder();
            addresses.forEach(a -> b.append('[').append(a).append("]:").append(port).append(' ').append(key).append('\n'));
            Files.writeString(file, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** known_hosts for the sshd inside the lab's network namespace. */
    Path netnsKnownHosts() {
        return dir.resolve("known_hosts.netns");
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("sshd.log")).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public int port() {
        return port;
    }

    public String passphrase() {
        return passphrase;
    }

    public Path identity() {
        return dir.resolve("userkey");
    }

    Path hostKey() {
        return dir.resolve("hostkey");
    }

    Path rsaHostKey() {
        return dir.resolve("hostkey_rsa");
    }

    /** known_hosts that pins only the host's RSA key (the server also has, and by default would offer, ed25519). */
    Path rsaOnlyKnownHosts() {
        return dir.resolve("known_hosts.rsa");
    }

    /** known_hosts that pins only an ECDSA key, a type this server does not have. */
    Path otherTypeKnownHosts() {
        return dir.resolve("known_hosts.other-type");
    }

    Path config() {
        return dir.resolve("sshd_config");
    }

    Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** known_hosts that pins another key for this host and port: what a reinstalled host (or an interceptor) looks like. */
    Path changedKnownHosts() {
        return dir.resolve("known_hosts.changed");
    }

    Path emptyKnownHosts() {
        return dir.resolve("known_hosts.empty");
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
