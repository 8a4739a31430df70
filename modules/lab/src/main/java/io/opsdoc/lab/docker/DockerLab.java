package io.opsdoc.lab.docker;

import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    private final Path cli;
    private final ReadOnlySocketProxy proxy;
    private int tcpPort = -1;

    private DockerLab(Path dir, DockerEngine engine, Path cli) {
        this.dir = dir;
        this.engine = engine;
        this.cli = cli;
        this.proxy = ReadOnlySocketProxy.start(dir.resolve("ro.sock"), engine.socket());
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
        return null;
    }

    public static DockerLab start() {
        Path dir = LabFiles.tempDir("opsdoc-docker-lab-");
        DockerEngine engine;
        try {
            engine = DockerEngine.start(dir); // closes what it started when it fails
        } catch (RuntimeException e) {
            DockerEngine.unmountBelow(dir);
            LabFiles.deleteRecursively(dir);
            throw e;
        }
        DockerLab lab;
        try {
            lab = new DockerLab(dir, engine, Path.of("/usr/bin/docker"));
        } catch (RuntimeException e) {
            engine.close();
            LabFiles.deleteRecursively(dir);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "docker-lab-cleanup"));
        try {
            lab.importImage();
            lab.writeDockerfile(DockerfileCases.GOOD, DockerfileCases.ENTRYPOINT_GOOD);
            lab.startWeb();
        } catch (IOException e) {
            lab.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
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

    /** The unencrypted TCP listener {@link #exposeApiOnTcp()} opened. */
    public String tcpTarget() {
        return "docker+tcp://127.0.0.1:" + tcpPort;
    }

    /** dockerd's --pidfile: names the lab's daemon to docker-api-exposure among others on this host. */
    public String pidFile() {
        return dir.resolve("d.pid").toString();
    }

    public String dockerfile() {
        return "file://" + dir.resolve("build/Dockerfile");
    }

    // ---- faults ----

    /** A container whose HEALTHCHECK fails (its database is unreachable), until Docker says unhealthy. */
    public void unhealthy() {
        docker("run", "-d", "--name", "lab-api", "--network", "none", "--health-cmd",
                "echo 'cannot connect to db:5432: connection refused'; exit 1", "--health-interval", "1s",
                "--health-retries", "2", IMAGE, "sleep", "100000");
        await("lab-api unhealthy", "lab-api", "{{.State.Health.Status}}", "unhealthy"::equals);
    }

    /** PID 1 exits 3 half a second after each start, under --restart always. */
    public void restartLoop() {
        docker("run", "-d", "--name", "lab-worker", "--network", "none", "--restart", "always", IMAGE,
                "sh", "-c", "sleep 0.2; exit 3");
        await("lab-worker restarted twice", "lab-worker", "{{.RestartCount}}", s -> Integer.parseInt(s) >= 2);
    }

    /**
     * A child of PID 1 allocates until the 16 MiB limit's OOM killer ends it; PID 1 then exits 137. (When PID 1
     * itself is the victim, Docker 20.10 sometimes reports OOMKilled=false: a child does the allocating.)
     */
    public void oomKill() {
        docker("run", "-d", "--name", "lab-batch", "--network", "none", "-m", "16m", "--memory-swap", "16m", IMAGE,
                "sh", "-c", "sh -c 'a=x; while true; do a=$a$a; done'; exit $?");
        await("lab-batch OOM-killed", "lab-batch", "{{.State.Status}} {{.State.OOMKilled}}", "exited true"::equals);
    }

    /** A one-shot container that fails on a missing config file and stays exited. */
    public void exitedNonZero() {
        docker("run", "-d", "--name", "lab-migrate", "--network", "none", IMAGE, "sh", "-c",
                "echo 'open /etc/app/config.yml: no such file' >&2; exit 2");
        await("lab-migrate exited", "lab-migrate", "{{.State.Status}} {{.State.ExitCode}}", "exited 2"::equals);
    }

    /** A running container without any HEALTHCHECK. */
    public void withoutHealthcheck() {
        docker("run", "-d", "--name", "lab-sidecar", "--network", "none", IMAGE, "sleep", "100000");
        await("lab-sidecar running", "lab-sidecar", "{{.State.Status}}", "running"::equals);
    }

    /** A container wrote 1 MiB into a named volume and was removed without -v: the volume dangles. */
    public void danglingVolume() {
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
        Path root = Files.createDirectories(dir.resolve("rootfs-previous/opt"));
        Files.write(root.resolve("release-data"), new byte[2 * 1024 * 1024]);
        run(List.of("tar", "-C", root.getParent().toString(), "-cf", dir.resolve("previous.tar").toString(), "."));
        docker("import", dir.resolve("previous.tar").toString(), "opsdoc-lab/busybox:previous");
    }

    /** dockerd restarted with an extra -H tcp://127.0.0.1:PORT, no TLS: the API is open to anyone on the host. */
    public void exposeApiOnTcp() {
        tcpPort = Ports.freePort();
        engine.restart(List.of("tcp://127.0.0.1:" + tcpPort));
    }

    public void writeDockerfile(String dockerfile, String entrypoint) throws IOException {
        Path build = Files.createDirectories(dir.resolve("build"));
        Files.writeString(build.resolve("Dockerfile"), dockerfile);
        Files.writeString(build.resolve("docker-entrypoint.sh"), entrypoint);
    }

    @Override
    public void heal() {
        if (tcpPort > 0) {
            engine.restart(List.of());
            tcpPort = -1;
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
        try {
            writeDockerfile(DockerfileCases.GOOD, DockerfileCases.ENTRYPOINT_GOOD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startWeb();
    }

    // ---- set-up ----

    private void importImage() throws IOException {
        Path root = dir.resolve("rootfs");
        for (String d : List.of("bin", "tmp", "proc", "sys", "dev", "etc", "cache")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(BUSYBOX, root.resolve("bin/busybox"));
        for (String c : List.of("sh", "sleep", "echo", "true", "false", "dd", "cat", "ls")) {
            Files.createSymbolicLink(root.resolve("bin/" + c), Path.of("busybox"));
        }
        run(List.of("tar", "-C", root.toString(), "-cf", dir.resolve("busybox.tar").toString(), "."));
        docker("import", "-c", "CMD [\"/bin/sh\"]", dir.resolve("busybox.tar").toString(), IMAGE);
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
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--host", "unix://" + engine.socket()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private String run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DOCKER_CONFIG", dir.resolve("cli").toString());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String where() {
        return "dockerd " + engine.socket() + " (vfs, own containerd), read-only proxy " + proxy.socket();
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
        engine.close();
        LabFiles.deleteRecursively(dir);
    }
}
