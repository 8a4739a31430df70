package io.opsdoc.lab.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A containerd and a dockerd of the lab's own (Debian docker.io 20.10), everything under one directory: no iptables,
 * no bridge, the vfs driver (works on any file system), its own data-root, exec-root and containerd socket, so that
 * it never touches a system Docker. {@link #restart} brings dockerd back with other listeners (containers survive:
 * live-restore). {@link #close} kills both by PID and unmounts whatever they left under the directory.
 */
final class DockerEngine implements AutoCloseable {
    static final Path DOCKERD = Path.of("/usr/sbin/dockerd");
    static final Path CONTAINERD = Path.of("/usr/bin/containerd");

    private final Path dir;
    private final List<String> prefix;
    private Process containerd;
    private Process dockerd;

    private DockerEngine(Path dir, List<String> prefix) {
        this.dir = dir;
        this.prefix = prefix;
    }

    /**
     * Starts containerd and dockerd under {@code dir}: in the network namespace {@code netns} when not null (entered
     * with nsenter, not ip netns exec, which remounts /sys and hides the cgroup mounts dockerd needs), with the data
     * root on a tmpfs of {@code rootSize} when not null (a file system of known size the lab may fill), and with
     * {@code listenerArgs} (extra --host and --tls* arguments).
     */
    static DockerEngine start(Path dir, String netns, String rootSize, List<String> listenerArgs) {
        try {
            Path c = Files.createDirectories(dir.resolve("ctd"));
            if (rootSize != null) {
                Files.createDirectories(dir.resolve("root"));
                run(List.of("mount", "-t", "tmpfs", "-o", "size=" + rootSize, "opsdoc-lab-docker", dir.resolve("root").toString()));
            }
            Files.writeString(c.resolve("config.toml"), """
                    version = 2
                    root = "%1$s/root"
                    state = "%1$s/state"
                    disabled_plugins = ["io.containerd.grpc.v1.cri"]
                    [grpc]
                      address = "%1$s/c.sock"
                    [ttrpc]
                      address = "%1$s/c.sock.ttrpc"
                    [debug]
                      address = ""
                    [metrics]
                      address = ""
                    """.formatted(c));
            // deprecated-key-path: dockerd 20.10 would otherwise write /etc/docker/key.json
            Files.writeString(dir.resolve("daemon.json"), """
                    {"deprecated-key-path": "%s/key.json", "live-restore": true}
                    """.formatted(dir));
            List<String> prefix = netns == null ? List.of() : List.of("nsenter", "--net=/var/run/netns/" + netns);
            DockerEngine e = new DockerEngine(dir, prefix);
            List<String> ctdCmd = new ArrayList<>(prefix);
            ctdCmd.addAll(List.of(CONTAINERD.toString(), "--config", c.resolve("config.toml").toString()));
            Process ctd = new ProcessBuilder(ctdCmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("containerd.log").toFile()).start();
            e.containerd = ctd;
            try {
                Awaitility.await("containerd socket").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            if (!ctd.isAlive()) {
                                throw new IllegalStateException("containerd exited: " + e.log("containerd.log"));
                            }
                            return Files.exists(c.resolve("c.sock"));
                        });
                e.startDockerd(listenerArgs);
            } catch (RuntimeException ex) {
                e.close();
                throw ex;
            }
            return e;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    Path socket() {
        return dir.resolve("d.sock");
    }

    Path pidFile() {
        return dir.resolve("d.pid");
    }

    Path dataRoot() {
        return dir.resolve("root");
    }

    /**
     * Stops dockerd and starts it again with these listener arguments instead of the last ones (e.g. --host
     * tcp://127.0.0.1:PORT, with or without --tls* flags); containers survive (live-restore).
     */
    void restart(List<String> listenerArgs) {
        stopDockerd();
        startDockerd(listenerArgs);
    }

    private void startDockerd(List<String> listenerArgs) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(DOCKERD.toString(), "--config-file", dir.resolve("daemon.json").toString(),
                "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=vfs",
                "--host", "unix://" + socket(), "--data-root", dir.resolve("root").toString(),
                "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("d.pid").toString(),
                "--containerd", dir.resolve("ctd/c.sock").toString()));
        cmd.addAll(listenerArgs);
        try {
            Files.deleteIfExists(socket());
            dockerd = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dockerd", e);
        }
        Process d = dockerd;
        Awaitility.await("dockerd /_ping").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!d.isAlive()) {
                        throw new IllegalStateException("dockerd exited: " + log("dockerd.log"));
                    }
                    return ping();
                });
    }

    private boolean ping() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket()));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.allocate(512);
            while (ch.read(b) > 0) {
                // to the end: HTTP/1.0, the daemon closes
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.0 200");
        } catch (IOException e) {
            return false;
        }
    }

    private void stopDockerd() {
        stop(dockerd, 20);
    }

    private static void stop(Process p, int seconds) {
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    String log(String name) {
        try {
            String s = Files.readString(dir.resolve(name));
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no " + name + ")";
        }
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    @Override
    public void close() {
        stopDockerd();
        if (containerd == null) {
            unmountBelow(dir);
            return;
        }
        // the shims of containers still alive are containerd's children by PID, reparented: end them by their PIDs
        List<ProcessHandle> shims = containerd.descendants().toList();
        stop(containerd, 10);
        shims.forEach(ProcessHandle::destroyForcibly);
        unmountBelow(dir);
    }

    /** dockerd leaves its data-root bind mount and nsfs netns files mounted when killed: deepest first. */
    static void unmountBelow(Path dir) {
        List<String> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    String mp = f[4].replace("\\040", " ");
                    if (mp.startsWith(dir.toString() + "/")) {
                        mounts.add(mp);
                    }
                }
            }
        } catch (IOException e) {
            return;
        }
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String m : mounts) {
            try {
                Process p = new ProcessBuilder("umount", "-l", m).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                // the next mount still gets its chance
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
