package io.opsdoc.lab.docker;

import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A real dockerd (Debian docker.io 20.10) with its own containerd, and a busybox image imported offline from
 * busybox-static's binary. The healthy state: one container, lab-web, running with a passing HEALTHCHECK; no other
 * container, volume or image. Faults start the sick containers an operator meets (failing healthcheck, restart loop,
 * OOM kill, error exit), leave a volume behind, or restart dockerd with an unencrypted TCP listener; {@link #heal()}
 * removes what they added. The Dockerfile scenarios lint files the lab writes into {@code build/}.
 */
public final class DockerLab implements Lab {
    static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String IMAGE = "opsdoc-lab/busybox:1.35";
    private static final Duration SHOWS = Duration.ofSeconds(60);
    private static volatile DockerLab shared;

    private final Path dir;
    private final DockerEngine engine;
    private final DockerCli cli;
    private final ReadOnlySocketProxy proxy;
    private final DockerTlsFiles tls;
    private final NamespacedDocker net;
    /** The port of the TCP listener: TLS with client verification in the healthy state. */
    private int tcpPort;
    /** The listener was switched to plain TCP or to TLS without verification by a fault. */
    private boolean listenerChanged;
    /** A fault of this dockerd ran: heal looks for what it left (each look is a docker CLI call, ~0.3 s). */
    private boolean touched;

    private DockerLab(Path dir, DockerEngine engine, DockerTlsFiles tls, NamespacedDocker net, int tcpPort) {
        this.dir = dir;
        this.engine = engine;
        this.cli = new DockerCli(Path.of("/usr/bin/docker"), engine.socket(), dir.resolve("cli"));
        this.proxy = ReadOnlySocketProxy.start(dir.resolve("ro.sock"), engine.socket());
        this.tls = tls;
        this.net = net;
        this.tcpPort = tcpPort;
    }

    /** Null when the lab can run here, else why not. */
    public static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the Docker lab runs dockerd, which needs root";
        }
        if (!Files.isExecutable(DockerEngine.DOCKERD) || ExternalBinary.find("/usr/bin/docker").isEmpty()) {
            return ExternalBinary.missing("docker.io", "dockerd");
        }
        if (!Files.isExecutable(DockerEngine.CONTAINERD)) {
            return ExternalBinary.missing("containerd", "containerd");
        }
        if (!Files.isExecutable(BUSYBOX)) {
            return ExternalBinary.missing("busybox-static", "/bin/busybox");
        }
        if (!Files.isExecutable(DockerTlsFiles.OPENSSL)) {
            return ExternalBinary.missing("openssl", "openssl");
        }
        if (ExternalBinary.find("/usr/sbin/ip").isEmpty() && ExternalBinary.find("/sbin/ip").isEmpty()) {
            return ExternalBinary.missing("iproute2", "ip");
        }
        return null;
    }

    /**
     * Makes the image tarball, then, in parallel, the TLS files and the main dockerd (host network namespace, TLS
     * listener with --tlsverify on 127.0.0.1) and the namespaced dockerd of the network and disk-filling faults.
     */
    public static DockerLab start() {
        Path dir = LabFiles.tempDir("opsdoc-docker-lab-");
        CompletableFuture<NamespacedDocker> net = null;
        DockerEngine engine = null;
        DockerLab lab = null;
        try {
            Path tar = imageTarball(dir);
            net = CompletableFuture.supplyAsync(() -> NamespacedDocker.start(dir.resolve("net"), tar, IMAGE));
            DockerTlsFiles tls = DockerTlsFiles.make(dir.resolve("tls"));
            int[] port = new int[1];
            engine = withFreePort(p -> {
                port[0] = p;
                return DockerEngine.start(dir, null, "512m", tlsListener(tls, p, true));
            });
            lab = new DockerLab(dir, engine, tls, net.join(), port[0]);
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "docker-lab-cleanup"));
            lab.cli.docker("import", "-c", "CMD [\"/bin/sh\"]", tar.toString(), IMAGE);
            lab.writeDockerfile(DockerfileCases.GOOD, DockerfileCases.ENTRYPOINT_GOOD);
            lab.startWeb();
            return lab;
        } catch (IOException | RuntimeException e) {
            if (lab != null) {
                lab.close();
            } else {
                if (net != null) {
                    try {
                        net.join().close();
                    } catch (RuntimeException ignored) {
                        // it failed to start and closed what it had started
                    }
                }
                if (engine != null) {
                    engine.close();
                }
                DockerEngine.unmountBelow(dir);
                LabFiles.deleteRecursively(dir);
            }
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    private static List<String> tlsListener(DockerTlsFiles tls, int port, boolean verify) {
        List<String> a = new ArrayList<>(List.of("--host", "tcp://127.0.0.1:" + port));
        a.addAll(tls.daemonArgs(verify));
        return a;
    }

    /**
     * Starts dockerd on a free port; a port taken between the pick and dockerd's bind makes dockerd exit with
     * "address already in use", and another port is tried.
     */
    private static <T> T withFreePort(java.util.function.IntFunction<T> start) {
        for (int attempt = 1; ; attempt++) {
            try {
                return start.apply(Ports.freePort());
            } catch (IllegalStateException e) {
                if (attempt >= 3 || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    public static synchronized DockerLab shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /**
     * The checks' way in: a read-only proxy socket in front of dockerd's (what opsdoc grants recommends), so the
     * scenarios prove the checks need nothing but their listed GETs.
     */
    public String target() {
        return "docker://" + proxy.socket();
    }

    /** The TCP listener: plain after {@link #exposeApiOnTcp()}, TLS otherwise. */
    public String tcpTarget() {
        return "docker+tcp://127.0.0.1:" + tcpPort;
    }

    /** The TLS listener with the client's certificate directory, as DOCKER_CERT_PATH holds it. */
    public String tlsTarget() {
        return tcpTarget() + "?cert-dir=" + tls.clientDir();
    }

    /** The client's certificate and key, but another CA to verify dockerd with. */
    public String tlsWrongCaTarget() {
        return tcpTarget() + "?ca-file=" + tls.otherCa() + "&cert-file=" + tls.clientDir().resolve("cert.pem")
                + "&key-file=" + tls.clientDir().resolve("key.pem");
    }

    /** The right CA, and no client certificate. */
    public String tlsNoClientCertTarget() {
        return tcpTarget() + "?ca-file=" + tls.clientDir().resolve("ca.pem");
    }

    /** dockerd's --pidfile: names the lab's daemon to docker-api-exposure among others on this host. */
    public String pidFile() {
        return engine.pidFile().toString();
    }

    /** The namespaced dockerd, through its read-only proxy. */
    public String netTarget() {
        return net.target();
    }

    public String netPidFile() {
        return net.pidFile().toString();
    }

    public String dockerfile() {
        return "file://" + dir.resolve("build/Dockerfile");
    }

    // ---- faults ----

    /** A container whose HEALTHCHECK fails (its database is unreachable), until Docker says unhealthy. */
    public void unhealthy() {
        touched = true;
        docker("run", "-d", "--name", "lab-api", "--network", "none", "--health-cmd",
                "echo 'cannot connect to db:5432: connection refused'; exit 1", "--health-interval", "1s",
                "--health-retries", "2", IMAGE, "sleep", "100000");
        await("lab-api unhealthy", "lab-api", "{{.State.Health.Status}}", "unhealthy"::equals);
    }

    /** PID 1 exits 3 half a second after each start, under --restart always. */
    public void restartLoop() {
        touched = true;
        docker("run", "-d", "--name", "lab-worker", "--network", "none", "--restart", "always", IMAGE,
                "sh", "-c", "sleep 0.2; exit 3");
        await("lab-worker restarted twice", "lab-worker", "{{.RestartCount}}", s -> Integer.parseInt(s) >= 2);
    }

    /**
     * A child of PID 1 allocates until the 16 MiB limit's OOM killer ends it; PID 1 then exits 137. (When PID 1
     * itself is the victim, Docker 20.10 sometimes reports OOMKilled=false: a child does the allocating.)
     */
    public void oomKill() {
        touched = true;
        docker("run", "-d", "--name", "lab-batch", "--network", "none", "-m", "16m", "--memory-swap", "16m", IMAGE,
                "sh", "-c", "sh -c 'a=x; while true; do a=$a$a; done'; exit $?");
        await("lab-batch OOM-killed", "lab-batch", "{{.State.Status}} {{.State.OOMKilled}}", "exited true"::equals);
    }

    /** A one-shot container that fails on a missing config file and stays exited. */
    public void exitedNonZero() {
        touched = true;
        docker("run", "-d", "--name", "lab-migrate", "--network", "none", IMAGE, "sh", "-c",
                "echo 'open /etc/app/config.yml: no such file' >&2; exit 2");
        await("lab-migrate exited", "lab-migrate", "{{.State.Status}} {{.State.ExitCode}}", "exited 2"::equals);
    }

    /** A running container without any HEALTHCHECK. */
    public void withoutHealthcheck() {
        touched = true;
        docker("run", "-d", "--name", "lab-sidecar", "--network", "none", IMAGE, "sleep", "100000");
        await("lab-sidecar running", "lab-sidecar", "{{.State.Status}}", "running"::equals);
    }

    /** A container wrote 1 MiB into a named volume and was removed without -v: the volume dangles. */
    public void danglingVolume() {
        touched = true;
        docker("run", "--name", "lab-cache-writer", "--network", "none", "-v", "lab-cache:/cache", IMAGE, "sh", "-c",
                "dd if=/dev/zero of=/cache/blob bs=1024 count=1024 2>/dev/null");
        docker("rm", "lab-cache-writer");
        Awaitility.await("lab-cache dangling").atMost(SHOWS).pollInterval(Duration.ofMillis(200)).until(() ->
                docker("volume", "ls", "-q", "--filter", "dangling=true").lines().anyMatch("lab-cache"::equals));
    }

    /**
     * The previous release's image, with 2 MiB of its own (a layer shared with the image in use would free nothing),
     * used by no container.
     */
    public void unusedImage() throws IOException {
        touched = true;
        Path root = Files.createDirectories(dir.resolve("rootfs-previous/opt"));
        Files.write(root.resolve("release-data"), new byte[2 * 1024 * 1024]);
        run(List.of("tar", "-C", root.getParent().toString(), "-cf", dir.resolve("previous.tar").toString(), "."));
        docker("import", dir.resolve("previous.tar").toString(), "opsdoc-lab/busybox:previous");
    }

    /** dockerd restarted with -H tcp://127.0.0.1:PORT and no TLS: the API is open to anyone on the host. */
    public void exposeApiOnTcp() {
        touched = true;
        listenerChanged = true;
        withFreePort(p -> {
            engine.restart(List.of("--host", "tcp://127.0.0.1:" + p));
            tcpPort = p;
            return null;
        });
    }

    /** dockerd restarted with --tls but without --tlsverify: encrypted, and open to every client. */
    public void tlsWithoutVerify() {
        touched = true;
        listenerChanged = true;
        withFreePort(p -> {
            engine.restart(tlsListener(tls, p, false));
            tcpPort = p;
            return null;
        });
    }

    // ---- faults of the namespaced dockerd (network, disk) ----

    public void routeOverlap() {
        net.routeOverlap();
    }

    public void ipForwardOff() throws IOException {
        net.ipForwardOff();
    }

    public void iccOff() {
        net.iccOff(IMAGE);
    }

    public void publicSubnet() {
        net.publicSubnet();
    }

    public void unusedNetwork() {
        net.unusedNetwork();
    }

    /** A container's volume fills the namespaced dockerd's 64 MiB data root (about 95% stays used). */
    public void fillDataRoot() throws IOException {
        net.fillRoot(IMAGE);
    }

    public void writeDockerfile(String dockerfile, String entrypoint) throws IOException {
        Path build = Files.createDirectories(dir.resolve("build"));
        Files.writeString(build.resolve("Dockerfile"), dockerfile);
        Files.writeString(build.resolve("docker-entrypoint.sh"), entrypoint);
    }

    @Override
    public void heal() {
        try {
            net.heal();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (listenerChanged) {
            withFreePort(p -> {
                engine.restart(tlsListener(tls, p, true));
                tcpPort = p;
                return null;
            });
            listenerChanged = false;
        }
        try {
            writeDockerfile(DockerfileCases.GOOD, DockerfileCases.ENTRYPOINT_GOOD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!touched) {
            return;
        }
        List<String> others = docker("ps", "-a", "--format", "{{.ID}} {{.Names}}").lines()
                .filter(l -> !l.isBlank() && !l.endsWith(" lab-web")).map(l -> l.split(" ")[0]).toList();
        if (!others.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
            rm.addAll(others);
            docker(rm.toArray(String[]::new));
        }
        String volumes = docker("volume", "ls", "-q").strip();
        if (!volumes.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("volume", "rm", "-f"));
            rm.addAll(volumes.lines().toList());
            docker(rm.toArray(String[]::new));
        }
        if (docker("images", "-q", "opsdoc-lab/busybox:previous").strip().length() > 0) {
            docker("rmi", "-f", "opsdoc-lab/busybox:previous");
        }
        startWeb();
        touched = false;
    }

    // ---- set-up ----

    /** busybox-static as an image's root file system, ready for docker import. */
    private static Path imageTarball(Path dir) throws IOException {
        Path root = dir.resolve("rootfs");
        for (String d : List.of("bin", "tmp", "proc", "sys", "dev", "etc", "cache")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(BUSYBOX, root.resolve("bin/busybox"));
        for (String c : List.of("sh", "sleep", "echo", "true", "false", "dd", "cat", "ls", "rm")) {
            Files.createSymbolicLink(root.resolve("bin/" + c), Path.of("busybox"));
        }
        Path tar = dir.resolve("busybox.tar");
        new DockerCli(Path.of("/usr/bin/docker"), dir.resolve("d.sock"), dir.resolve("cli"))
                .run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."));
        return tar;
    }

    /** lab-web, running and healthy; started again if a dockerd restart or a heal removed it. */
    private void startWeb() {
        String state = docker("ps", "-a", "--filter", "name=^lab-web$", "--format", "{{.State}}").strip();
        if (!state.equals("running")) {
            if (!state.isEmpty()) {
                docker("rm", "-f", "lab-web");
            }
            docker("run", "-d", "--name", "lab-web", "--network", "none",
                    "--health-cmd", "true", "--health-interval", "1s", "--health-retries", "2", IMAGE, "sleep", "1000000");
        }
        await("lab-web healthy", "lab-web", "{{.State.Health.Status}}", "healthy"::equals);
    }

    private void await(String what, String container, String format, Predicate<String> condition) {
        Awaitility.await(what).atMost(SHOWS).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> condition.test(docker("inspect", "-f", format, container).strip()));
    }

    String docker(String... args) {
        return cli.docker(args);
    }

    private String run(List<String> cmd) {
        return cli.run(cmd);
    }

    @Override
    public String where() {
        return "dockerd " + engine.socket() + " (vfs, own containerd, TLS on 127.0.0.1:" + tcpPort + "), read-only proxy "
                + proxy.socket() + "; a second dockerd in its own network namespace, proxy " + net.target();
    }

    @Override
    public synchronized void close() {
        try {
            String all = docker("ps", "-aq").strip();
            if (!all.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
                rm.addAll(all.lines().toList());
                docker(rm.toArray(String[]::new));
            }
        } catch (RuntimeException e) {
            // dockerd already gone: its containers die with containerd below
        }
        proxy.close();
        net.close();
        engine.close();
        LabFiles.deleteRecursively(dir);
    }
}
