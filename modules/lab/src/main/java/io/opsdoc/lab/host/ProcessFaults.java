package io.opsdoc.lab.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Faults made of the lab's own processes: a parent that never reaps, a process near its open-files limit, a process
 * the OOM killer ends over and over inside a 32 MiB memory cgroup. Each returns a handle that ends what it started.
 */
final class ProcessFaults {
    private static final Path MEMORY_CGROUP = Path.of("/sys/fs/cgroup/memory");

    private ProcessFaults() {
    }

    /** Null when the OOM fault can run here, else why not. */
    static String oomUnavailable() {
        return Files.isWritable(MEMORY_CGROUP.resolve("cgroup.procs")) ? null
                : "no writable cgroup v1 memory controller at " + MEMORY_CGROUP;
    }

    static AutoCloseable zombies(int count) throws IOException {
        // perl, not sh: a shell reaps finished background jobs between commands
        String script = "for (1.." + count + ") { my $p = fork(); exit 0 if defined $p && $p == 0 } sleep 600";
        Process parent = start("perl", "-e", script);
        AutoCloseable kill = stopper(parent);
        awaitOrStop(kill, count + " zombie children of pid " + parent.pid(),
                () -> HostLab.zombieChildren(parent.pid()) >= count);
        return kill;
    }

    /** A process with a soft open-files limit of 64 that holds {@code open} descriptors. */
    static AutoCloseable openFiles(int open) throws IOException {
        // fds 0-2 are open already; the shell opens the rest on /dev/null and execs a sleep that keeps them
        String script = "ulimit -n 64; i=3; while [ $i -lt " + open + " ]; do eval \"exec $i</dev/null\"; i=$((i+1)); done; "
                + "exec sleep 600";
        Process p = start("bash", "-c", script);
        AutoCloseable kill = stopper(p);
        Path fd = Path.of("/proc", Long.toString(p.pid()), "fd");
        awaitOrStop(kill, open + " open files in pid " + p.pid(), () -> {
            try (var s = Files.list(fd)) {
                return s.count() >= open && Files.readString(Path.of("/proc", Long.toString(p.pid()), "comm")).strip()
                        .equals("sleep");
            }
        });
        return kill;
    }

    /**
     * A loop that starts perl in a 32 MiB memory cgroup to allocate 200 MB, again and again: each try is OOM-killed,
     * which the kernel counts in /proc/vmstat oom_kill. The handle stops the loop and removes the cgroup.
     */
    static AutoCloseable oomKills(Path labDir) throws IOException {
        Path cgroup = MEMORY_CGROUP.resolve("opsdoc-host-lab-" + labDir.getFileName());
        Files.createDirectories(cgroup);
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(32L * 1024 * 1024));
        Path victim = labDir.resolve("oom-victim.sh");
        Files.writeString(victim, "echo $$ > " + cgroup.resolve("cgroup.procs") + "\n"
                + "exec perl -e '$x = q(x) x 200_000_000; sleep 1'\n");
        String loop = "while :; do sh " + victim + "; sleep 0.2; done";
        Process p = start("sh", "-c", loop);
        return () -> {
            stopper(p).close();
            for (int i = 0; i < 50 && Files.exists(cgroup); i++) {
                for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                    new ProcessBuilder("kill", "-9", pid.strip()).start().waitFor();
                }
                try {
                    Files.delete(cgroup);
                    return;
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
        };
    }

    private static Process start(String... argv) throws IOException {
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static AutoCloseable stopper(Process p) {
        return () -> {
            p.destroyForcibly();
            p.waitFor();
        };
    }

    private static void awaitOrStop(AutoCloseable stop, String what, java.util.concurrent.Callable<Boolean> condition)
            throws IOException {
        try {
            Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(condition);
        } catch (RuntimeException e) {
            try {
                stop.close();
            } catch (Exception ignored) {
                // the wait's failure is what matters
            }
            throw e;
        }
    }
}
