package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.ThreadsCode.PIDS_LIMIT_NEAR;
import static io.opsdoc.checks.host.ThreadsCode.THREADS_HIGH;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How many threads do the named processes run, and how close are they to the limits on tasks? Every thread is a
 * task with its own PID: a cgroup's {@code pids.max} (a container's or a systemd unit's TasksMax) and
 * {@code kernel.threads-max} count threads, so a thread leak ends in "fork: Resource temporarily unavailable" or
 * Java's "unable to create native thread" long before memory runs out.
 */
public final class LinuxProcessThreads extends HostCheck<ThreadsFacts> {
    public static final String ID = "linux-process-threads";
    static final String NOTE = "linux/threads";
    /** Cgroups read per run: the processes with the most threads. */
    private static final int JUDGED = 10;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("processes", ParameterType.STRING, "",
                    "comma-separated process names (comm, as ps -o comm shows) to judge; empty: the " + JUDGED
                            + " processes with the most threads"),
            new ParameterSpec("threads-warning", ParameterType.INTEGER, "1000",
                    "threads in one process at which to warn"),
            new ParameterSpec("pids-warning", ParameterType.PERCENT, "80%",
                    "tasks as a share of their cgroup's pids.max, or all threads of kernel.threads-max, at which to warn"));

    public LinuxProcessThreads() {
        super(ID, "Do processes on this Linux host run too many threads, close to pids.max or threads-max?",
                ThreadsFacts.class, PARAMETERS, HostTransportCode.with(ThreadsCode.class), HostGrants.grants(ID,
                        "cat /proc/[0-9]*/stat (name and thread count of every process), cat of /proc/PID/cgroup "
                                + "for the judged processes, of their cgroup's pids.current and pids.max under "
                                + "/sys/fs/cgroup, and of /proc/sys/kernel/threads-max"));
    }

    @Override
    public ThreadsFacts collect(CheckContext context) throws Exception {
        Set<String> names = names(context.parameters().string("processes"));
        return HostSession.with(context, host -> {
            List<long[]> counts = new ArrayList<>();
            Map<Long, String> commands = new LinkedHashMap<>();
            long total = 0;
            for (ProcStat p : ProcStat.parse(host.processStats())) {
                try {
                    long threads = p.field(20); // num_threads
                    total += threads;
                    if (names.isEmpty() || names.contains(p.command())) {
                        counts.add(new long[] {p.pid(), threads});
                        commands.put(p.pid(), p.command());
                    }
                } catch (RuntimeException e) {
                    // a line cut short by a process that ended while it was read
                }
            }
            counts.sort(Comparator.comparingLong((long[] c) -> c[1]).reversed());
            List<ThreadsFacts.Proc> judged = new ArrayList<>();
            for (long[] c : counts.subList(0, Math.min(JUDGED, counts.size()))) {
                judged.add(withCgroup(host, c[0], commands.get(c[0]), c[1]));
            }
            long max = Long.parseLong(host.read("/proc/sys/kernel/threads-max").trim());
            return new ThreadsFacts(total, max, judged);
        });
    }

    static Set<String> names(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    /** The process's pids cgroup (v1 "N:pids:/path" or v2 "0::/path") and its counters; -1 where unreadable. */
    private static ThreadsFacts.Proc withCgroup(HostReader host, long pid, String command, long threads)
            throws Exception {
        String path = null;
        String dir = null;
        try {
            for (String line : host.read("/proc/" + pid + "/cgroup").lines().toList()) {
                String[] f = line.split(":", 3);
                if (f.length == 3 && List.of(f[1].split(",")).contains("pids")) {
                    path = f[2];
                    dir = "/sys/fs/cgroup/pids" + f[2];
                } else if (f.length == 3 && f[0].equals("0") && f[1].isEmpty() && path == null) {
                    path = f[2];
                    dir = "/sys/fs/cgroup" + f[2];
                }
            }
        } catch (ProbeException | IllegalArgumentException e) {
            return new ThreadsFacts.Proc(pid, command, threads, null, -1, -1); // it ended meanwhile
        }
        if (dir == null) {
            return new ThreadsFacts.Proc(pid, command, threads, null, -1, -1);
        }
        try {
            String max = host.read(dir + "/pids.max").trim();
            long current = Long.parseLong(host.read(dir + "/pids.current").trim());
            return new ThreadsFacts.Proc(pid, command, threads, path, current, max.equals("max") ? -1 : Long.parseLong(max));
        } catch (ProbeException | IllegalArgumentException e) {
            // the root cgroup has no pids.max; a path with characters HostCommands does not send is not read
            return new ThreadsFacts.Proc(pid, command, threads, path, -1, -1);
        }
    }

    @Override
    public void evaluate(ThreadsFacts facts, Parameters p, Evaluation.Builder out) {
        long warning = p.integer("threads-warning");
        double pidsWarning = p.percent("pids-warning");
        out.metric(Metric.of("threads_total", facts.threadsTotal(), ""));
        out.metric(Metric.of("threads_max", facts.threadsMax(), ""));
        for (ThreadsFacts.Proc proc : facts.processes()) {
            out.metric(new Metric("process_threads", proc.threads(), "", Map.of("pid", Long.toString(proc.pid()),
                    "command", proc.command()), (double) warning, null));
            if (proc.threads() >= warning) {
                out.finding(THREADS_HIGH, Severity.WARNING, String.format(Locale.ROOT, "pid %d (%s) runs %d threads "
                        + "(warning at %d): a thread pool without a bound, or threads that never end (compare two "
                        + "thread dumps)", proc.pid(), proc.command(), proc.threads(), warning),
                        Evidence.of("pid", proc.pid(), "command", proc.command(), "threads", proc.threads(),
                                "threads_warning", warning));
            }
        }
        // one finding per cgroup, however many judged processes share it
        Map<String, ThreadsFacts.Proc> cgroups = new LinkedHashMap<>();
        facts.processes().stream().filter(x -> x.pidsMax() > 0 && x.pidsCurrent() >= 0)
                .forEach(x -> cgroups.putIfAbsent(x.cgroup(), x));
        for (ThreadsFacts.Proc x : cgroups.values()) {
            double used = 100.0 * x.pidsCurrent() / x.pidsMax();
            if (used >= pidsWarning) {
                out.finding(PIDS_LIMIT_NEAR, used >= 100 ? Severity.CRITICAL : Severity.WARNING, String.format(
                        Locale.ROOT, "cgroup %s (of pid %d, %s) holds %d tasks of its pids.max %d (%.0f%%, warning "
                                + "at %.0f%%): at the limit fork() and pthread_create() fail with EAGAIN",
                        x.cgroup(), x.pid(), x.command(), x.pidsCurrent(), x.pidsMax(), used, pidsWarning),
                        Evidence.of("cgroup", x.cgroup(), "pids_current", x.pidsCurrent(), "pids_max", x.pidsMax(),
                                "used_percent", Math.round(used * 10) / 10.0, "pid", x.pid()));
            }
        }
        if (facts.threadsMax() > 0) {
            double used = 100.0 * facts.threadsTotal() / facts.threadsMax();
            if (used >= pidsWarning) {
                out.finding(PIDS_LIMIT_NEAR, Severity.WARNING, String.format(Locale.ROOT, "%d threads on the host, "
                        + "%.0f%% of kernel.threads-max %d (warning at %.0f%%): new threads and processes will fail "
                        + "host-wide", facts.threadsTotal(), used, facts.threadsMax(), pidsWarning),
                        Evidence.of("threads_total", facts.threadsTotal(), "threads_max", facts.threadsMax(),
                                "used_percent", Math.round(used * 10) / 10.0));
            }
        }
    }
}
