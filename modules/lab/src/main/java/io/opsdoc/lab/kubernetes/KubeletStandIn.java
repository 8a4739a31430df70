package io.opsdoc.lab.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A process named kubelet on this machine, for k8s-node-notready's kubelet-host: Debian ships no kubelet and nothing
 * here may download one, so the lab runs a copy of sleep(1) installed as {@code kubelet}. The check reads what a real
 * kubelet shows of itself in the node's process table (a live process whose name is kubelet), and the fault is the
 * real thing: the process ends, as after {@code systemctl stop kubelet} or a crash.
 */
public final class KubeletStandIn {
    private final Path binary;
    private Process process;

    KubeletStandIn(Path dir) {
        this.binary = dir.resolve("kubelet");
    }

    /** The kubelet runs (started if it does not). */
    public synchronized void running() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            if (!Files.exists(binary)) {
                Files.copy(Path.of("/bin/sleep"), binary, StandardCopyOption.COPY_ATTRIBUTES);
            }
            process = new ProcessBuilder(binary.toString(), "infinity").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the kubelet stand-in", e);
        }
        long pid = process.pid();
        Awaitility.await("the kubelet stand-in in /proc").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20)).until(() -> comm(pid).equals("kubelet"));
    }

    /** The kubelet is gone: killed and reaped, so /proc shows no kubelet (not even a zombie). */
    public synchronized void stopped() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.onExit().get();
        } catch (Exception e) {
            throw new IllegalStateException("the kubelet stand-in did not end", e);
        }
        process = null;
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
