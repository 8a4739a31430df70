package io.opsdoc.lab.edge;

import io.opsdoc.lab.host.LabNetns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One keepalived peer as a host of its own: the lab network namespace plus a private mount namespace and a PID
 * namespace, held open by a {@code sleep} that is PID 1 there. Inside, /proc shows only the peer's processes (so
 * {@code /proc/[pid]/stat} tells whether this peer's keepalived runs, not the other's) and /run/keepalived is the
 * peer's own directory (its notify script's state file, its track file). The sshd and keepalived of the peer are
 * started through {@link #enter()}; killing the holder kills everything in the PID namespace.
 */
final class VrrpPeerHost implements AutoCloseable {
    /** Where the peer's state and track files live, as seen inside the peer (the same path on every real host). */
    static final String RUN = "/run/keepalived";

    private final String name;
    private final Process holder;
    private final ProcessHandle init;
    private final Path run;

    private VrrpPeerHost(String name, Process holder, ProcessHandle init, Path run) {
        this.name = name;
        this.holder = holder;
        this.init = init;
        this.run = run;
    }

    /** The host for peer {@code name} in {@code ns}; {@code run} (root-owned, 0755) becomes its /run/keepalived. */
    static VrrpPeerHost start(String name, LabNetns ns, Path run, Path log) {
        Process holder;
        try {
            Files.createDirectories(run);
            // the bind mount needs a mount point; an empty directory on the host's /run, as the package would make
            Files.createDirectories(Path.of(RUN));
            holder = new ProcessBuilder("ip", "netns", "exec", ns.name(), "unshare", "--mount", "--propagation",
                    "private", "--pid", "--fork", "--mount-proc", "--kill-child", "/bin/sh", "-c",
                    "mount --bind \"$0\" " + RUN + " && exec sleep infinity", run.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // PID 1 of the new namespace is sh until the bind mount is made, then sleep
            ProcessHandle init = Awaitility.await("peer " + name + "'s namespaces").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        if (!holder.isAlive()) {
                            throw new IllegalStateException("unshare for peer " + name + " exited "
                                    + holder.exitValue() + ": " + Files.readString(log));
                        }
                        return holder.children().filter(c -> c.info().command().orElse("").endsWith("/sleep"))
                                .findFirst();
                    }, Optional::isPresent).orElseThrow();
            return new VrrpPeerHost(name, holder, init, run);
        } catch (RuntimeException e) {
            holder.destroyForcibly();
            throw e;
        }
    }

    /** The command prefix that runs a program inside this peer's namespaces (network, mount, PID). */
    List<String> enter() {
        return List.of("nsenter", "-t", String.valueOf(init.pid()), "--net", "--mount", "--pid");
    }

    /** Starts {@code argv} inside the peer, its output appended to {@code log}. */
    Process start(List<String> argv, Path log) {
        List<String> all = new ArrayList<>(enter());
        all.addAll(argv);
        try {
            return new ProcessBuilder(all).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGTERM to what {@code nsenter} started (nsenter itself does not pass signals on), as systemctl stop does, then
     * waits for it; SIGKILL after 10 s.
     */
    static void stop(Process entered) {
        if (entered == null || !entered.isAlive()) {
            return;
        }
        List<ProcessHandle> started = entered.children().toList();
        List<ProcessHandle> all = entered.descendants().toList();
        started.forEach(ProcessHandle::destroy);
        try {
            if (!entered.waitFor(10, TimeUnit.SECONDS)) {
                all.forEach(ProcessHandle::destroyForcibly);
                entered.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A file of the peer's /run/keepalived, from the host's side. */
    Path file(String fileName) {
        return run.resolve(fileName);
    }

    /** The content of a file in the peer's /run/keepalived, stripped; "" when absent. */
    String read(String fileName) {
        try {
            Path f = file(fileName);
            return Files.exists(f) ? Files.readString(f).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    void write(String fileName, String content) {
        try {
            Files.writeString(file(fileName), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    /** Kills PID 1 of the peer's PID namespace: the kernel then kills every process in it (sshd, keepalived). */
    @Override
    public void close() {
        init.destroyForcibly();
        holder.destroyForcibly(); // the mounts go with the mount namespace
    }
}
