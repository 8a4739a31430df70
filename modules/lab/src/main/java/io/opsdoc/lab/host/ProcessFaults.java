package io.opsdoc.lab.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Faults made of the lab's own processes: a parent that never reaps, a process near its open-files limit, a process
 * the OOM killer ends over and over inside a 32 MiB memory cgroup. Each returns a handle that ends what it started.
 */
final class ProcessFaults {
    /** cgroup v1's memory hierarchy (this machine: hybrid v1+v2); on a pure v2 host the unified root is used. */
    private static final Path MEMORY_V1 = Path.of("/sys/fs/cgroup/memory");
    private static final Path UNIFIED = Path.of("/sys/fs/cgroup");
    private static final long LIMIT = 32L * 1024 * 1024;

    private ProcessFaults() {
    }

    /** A fresh memory cgroup limited to 32 MiB, v1 or v2, whichever this host has writable. */
    private static Path memoryCgroup(String name) throws IOException {
        if (Files.isWritable(MEMORY_V1.resolve("cgroup.procs"))) {
            Path g = MEMORY_V1.resolve(name);
            Files.createDirectories(g);
            Files.writeString(g.resolve("memory.limit_in_bytes"), Long.toString(LIMIT));
            return g;
        }
        Path controllers = UNIFIED.resolve("cgroup.subtree_control");
        if (Files.isReadable(controllers) && Files.readString(controllers).contains("memory")) {
            Path g = UNIFIED.resolve(name);
            Files.createDirectories(g);
            Files.writeString(g.resolve("memory.max"), Long.toString(LIMIT));
            if (Files.exists(g.resolve("memory.swap.max"))) {
                Files.writeString(g.resolve("memory.swap.max"), "0"); // killed, not swapped, on a host with swap
            }
            return g;
        }
        throw new IllegalStateException("no writable memory cgroup (neither " + MEMORY_V1
                + " nor a cgroup v2 root with the memory controller enabled): the oom-kills scenario needs one");
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
        Path cgroup = memoryCgroup("opsdoc-host-lab-" + labDir.getFileName());
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

    /**
     * {@code count} busy loops at nice 19 (other work on the machine goes first; the loops take only what is left):
     * each ends itself after 5 minutes should the lab be killed before it stops them.
     */
    static AutoCloseable cpuBurners(int count) throws IOException {
        List<Process> burners = new ArrayList<>();
        AutoCloseable kill = () -> {
            for (Process p : burners) {
                stopper(p).close();
            }
        };
        for (int i = 0; i < count; i++) {
            burners.add(start("nice", "-n", "19", "perl", "-e", "alarm 300; 1 while 1"));
        }
        awaitOrStop(kill, count + " busy loops running", () -> {
            for (Process p : burners) {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (!f[0].equals("R") && Long.parseLong(f[11]) == 0) { // running, or already used CPU time
                    return false;
                }
            }
            return true;
        });
        return kill;
    }

    /**
     * A python process named {@code opsdoc-threads} running {@code threads} threads in a pids cgroup of the lab's own
     * limited to {@code pidsMax} tasks. The handle kills it and removes the cgroup.
     */
    static AutoCloseable threads(Path labDir, int threads, int pidsMax) throws IOException {
        Path cgroup = pidsCgroup("opsdoc-host-lab-" + labDir.getFileName() + "-threads", pidsMax);
        Path script = labDir.resolve("threads.py");
        Files.writeString(script, "import threading, time\n"
                + "with open('/proc/self/comm', 'w') as f: f.write('opsdoc-threads')\n"
                + "threading.stack_size(65536)\n"
                + "stop = threading.Event()\n"
                + "for _ in range(" + (threads - 1) + "): threading.Thread(target=stop.wait, daemon=True).start()\n"
                + "time.sleep(600)\n");
        Path runner = labDir.resolve("threads.sh");
        Files.writeString(runner, "echo $$ > " + cgroup.resolve("cgroup.procs") + "\nexec " + python() + " " + script
                + "\n");
        Process p = start("sh", runner.toString());
        AutoCloseable kill = () -> {
            stopper(p).close();
            for (int i = 0; i < 50 && Files.exists(cgroup); i++) {
                try {
                    Files.delete(cgroup);
                    return;
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
        };
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        awaitOrStop(kill, threads + " threads in pid " + p.pid(), () -> Files.readAllLines(status).stream()
                .anyMatch(l -> l.equals("Threads:\t" + threads)));
        return kill;
    }

    /** Debian's python3 (not a pyenv shim that may point elsewhere on a developer machine). */
    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** A fresh pids cgroup limited to {@code max} tasks, v1 or v2. */
    private static Path pidsCgroup(String name, int max) throws IOException {
        Path v1 = Path.of("/sys/fs/cgroup/pids");
        Path g;
        if (Files.isWritable(v1.resolve("cgroup.procs"))) {
            g = v1.resolve(name);
        } else if (Files.isReadable(UNIFIED.resolve("cgroup.subtree_control"))
                && Files.readString(UNIFIED.resolve("cgroup.subtree_control")).contains("pids")) {
            g = UNIFIED.resolve(name);
        } else {
            throw new IllegalStateException("no writable pids cgroup (neither " + v1 + " nor a cgroup v2 root with the "
                    + "pids controller enabled): the threads scenarios need one");
        }
        Files.createDirectories(g);
        Files.writeString(g.resolve("pids.max"), Integer.toString(max));
        return g;
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
