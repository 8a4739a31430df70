package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.CpuCode.CPU_BUSY;
import static io.opsdoc.checks.host.CpuCode.CPU_SATURATED;
import static io.opsdoc.checks.host.CpuCode.IOWAIT_HIGH;
import static io.opsdoc.checks.host.CpuCode.STEAL_HIGH;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where does this host's CPU time go? Two samples of {@code /proc/stat} over a window give the split top shows (us,
 * sy, ni, id, wa, hi, si, st) for all CPUs and each one; {@code /proc/pressure/cpu} (PSI), where the kernel has it,
 * says how long runnable tasks waited for a CPU in the same window, which busy percentages cannot: 100 % busy with
 * nobody waiting is a well-used machine, not a saturated one.
 */
public final class LinuxCpu extends HostCheck<CpuFacts> {
    public static final String ID = "linux-cpu";
    static final String NOTE = "linux/cpu";

    /** The columns of a cpu line, in order (guest and guest_nice are already counted in user and nice). */
    private static final String[] COLUMNS = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "2s",
                    "time between the two samples of /proc/stat (fitted into --timeout; the evidence shows the window "
                            + "measured)"),
            new ParameterSpec("busy-warning", ParameterType.PERCENT, "80%",
                    "all CPUs busy (100% - idle - iowait) above this share of the window: CPU_BUSY (node-mixin "
                            + "NodeCPUHighUsage: 90% over 15 m; awesome-prometheus-alerts: 80% over 10 m)"),
            new ParameterSpec("pressure-warning", ParameterType.PERCENT, "50%",
                    "share of the window in which some runnable task waited for a CPU (PSI cpu some) above which "
                            + "CPU_SATURATED"),
            new ParameterSpec("iowait-warning", ParameterType.PERCENT, "10%",
                    "iowait above this share of all CPU time: IOWAIT_HIGH (awesome-prometheus-alerts HostCpuHighIowait)"),
            new ParameterSpec("steal-warning", ParameterType.PERCENT, "10%",
                    "steal above this share of all CPU time: STEAL_HIGH (awesome-prometheus-alerts "
                            + "HostCpuStealNoisyNeighbor)"));

    public LinuxCpu() {
        super(ID, "Where does this Linux host's CPU time go (busy, iowait, steal), and do tasks wait for a CPU?",
                CpuFacts.class, PARAMETERS, HostTransportCode.with(CpuCode.class),
                HostGrants.grants(ID, "cat of /proc/stat and /proc/pressure/cpu, twice over the window"));
    }

    @Override
    public CpuFacts collect(CheckContext context) throws Exception {
        Duration window = context.parameters().duration("window");
        return HostSession.with(context, host -> {
            String before = cpuLines(host.read("/proc/stat"));
            String pressureBefore = pressure(host);
            long sleep = SamplingWindow.fit(window, context.remaining()).toMillis();
            if (sleep <= 0) {
                throw new ProbeException(ProbeErrors.TIMEOUT, "no time left to sample a window before the deadline");
            }
            long t0 = System.nanoTime();
            Thread.sleep(sleep);
            String after = cpuLines(host.read("/proc/stat"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new CpuFacts(before, after, pressureBefore, pressureBefore == null ? null : pressure(host), seconds);
        });
    }

    /** PSI is optional (kernel 4.20+, CONFIG_PSI, not switched off with psi=0): its absence is no failure. */
    private static String pressure(HostReader host) throws Exception {
        try {
            return host.read("/proc/pressure/cpu").strip();
        } catch (ProbeException e) {
            return null;
        }
    }

    private static String cpuLines(String stat) throws ProbeException {
        if (!stat.startsWith("cpu ")) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "/proc/stat does not start with the total 'cpu' line");
        }
        return stat.lines().filter(l -> l.startsWith("cpu") || l.startsWith("procs_"))
                .collect(Collectors.joining("\n"));
    }

    /** Ticks per column for each cpu line ("cpu" is the total). */
    static Map<String, long[]> ticks(String lines) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String line : lines.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (!f[0].startsWith("cpu") || f.length < 5) {
                continue;
            }
            long[] t = new long[COLUMNS.length];
            for (int i = 0; i < COLUMNS.length && i + 1 < f.length; i++) {
                t[i] = Long.parseLong(f[i + 1]);
            }
            out.put(f[0], t);
        }
        return out;
    }

    /** The "total=" microseconds of the "some" line of /proc/pressure/cpu, or -1. */
    static long someStallMicros(String pressure) {
        if (pressure == null) {
            return -1;
        }
        for (String line : pressure.lines().toList()) {
            if (line.startsWith("some ")) {
                for (String kv : line.split("\\s+")) {
                    if (kv.startsWith("total=")) {
                        return Long.parseLong(kv.substring("total=".length()));
                    }
                }
            }
        }
        return -1;
    }

    @Override
    public void evaluate(CpuFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, long[]> before = ticks(facts.statBefore());
        Map<String, long[]> after = ticks(facts.statAfter());
        Map<String, double[]> shares = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.get(e.getKey());
            if (b != null) {
                shares.put(e.getKey(), shares(b, e.getValue()));
            }
        }
        double[] all = shares.get("cpu");
        if (all == null) {
            return; // collect refuses a /proc/stat without the total line
        }
        Evidence split = Evidence.of("window_ms", Math.round(facts.windowSeconds() * 1000));
        for (int i = 0; i < COLUMNS.length; i++) {
            split.put(COLUMNS[i] + "_percent", round(all[i]));
            out.metric(new Metric("cpu_" + COLUMNS[i] + "_percent", round(all[i]), "%", Map.of(), null, null));
        }
        double busy = busy(all);
        double busyWarning = p.percent("busy-warning");
        out.metric(new Metric("cpu_busy_percent", round(busy), "%", Map.of(), busyWarning, null));
        List<String> perCpu = new ArrayList<>();
        shares.forEach((cpu, s) -> {
            if (!cpu.equals("cpu")) {
                perCpu.add(String.format(Locale.ROOT, "%s %.0f%% busy, %.0f%% iowait, %.0f%% steal", cpu, busy(s),
                        s[4], s[7]));
            }
        });
        split.put("cpus", perCpu.size()).put("per_cpu", perCpu).put("busy_percent", round(busy));
        if (busy > busyWarning) {
            out.finding(CPU_BUSY, Severity.WARNING, String.format(Locale.ROOT, "the %d CPU(s) were %.1f%% busy during "
                    + "the %.1f s window (above %.0f%%): user %.1f%%, nice %.1f%%, system %.1f%%, softirq %.1f%%; find "
                    + "the processes with top or pidstat", perCpu.size(), busy, facts.windowSeconds(), busyWarning,
                    all[0], all[1], all[2], all[6]), copy(split).put("busy_warning_percent", busyWarning));
        }
        double iowait = all[4];
        if (iowait > p.percent("iowait-warning")) {
            out.finding(IOWAIT_HIGH, Severity.WARNING, String.format(Locale.ROOT, "CPUs were idle waiting for I/O "
                    + "%.1f%% of the %.1f s window (above %.0f%%): storage is the bottleneck, not the CPU (iostat -x "
                    + "shows which device)", iowait, facts.windowSeconds(), p.percent("iowait-warning")), copy(split));
        }
        double steal = all[7];
        if (steal > p.percent("steal-warning")) {
            out.finding(STEAL_HIGH, Severity.WARNING, String.format(Locale.ROOT, "the hypervisor took %.1f%% of this "
                    + "guest's CPU time during the %.1f s window (above %.0f%%): other guests on the same host "
                    + "compete for its CPUs", steal, facts.windowSeconds(), p.percent("steal-warning")), copy(split));
        }
        long stallBefore = someStallMicros(facts.pressureBefore());
        long stallAfter = someStallMicros(facts.pressureAfter());
        if (stallBefore < 0 || stallAfter < 0 || facts.windowSeconds() <= 0) {
            return;
        }
        double waited = Math.min(100, 100.0 * (stallAfter - stallBefore) / (facts.windowSeconds() * 1e6));
        double pressureWarning = p.percent("pressure-warning");
        out.metric(new Metric("cpu_pressure_some_percent", round(waited), "%", Map.of(), pressureWarning, null));
        if (waited > pressureWarning) {
            String[] procs = procs(facts.statAfter());
            out.finding(CPU_SATURATED, Severity.WARNING, String.format(Locale.ROOT, "some runnable task waited for "
                    + "a CPU during %.1f%% of the %.1f s window (PSI cpu some, above %.0f%%); %s task(s) runnable at "
                    + "the end on %d CPU(s): more work than CPUs, so latency grows", waited, facts.windowSeconds(),
                    pressureWarning, procs[0], perCpu.size()),
                    copy(split).put("pressure_some_percent", round(waited))
                            .put("psi_some_total_us_delta", stallAfter - stallBefore)
                            .put("procs_running", procs[0]).put("procs_blocked", procs[1]));
        }
    }

    /** procs_running and procs_blocked at the end of the window ("?" when absent). */
    private static String[] procs(String stat) {
        String[] r = {"?", "?"};
        for (String line : stat.lines().toList()) {
            if (line.startsWith("procs_running ")) {
                r[0] = line.substring("procs_running ".length()).trim();
            } else if (line.startsWith("procs_blocked ")) {
                r[1] = line.substring("procs_blocked ".length()).trim();
            }
        }
        return r;
    }

    private static double[] shares(long[] before, long[] after) {
        long total = 0;
        long[] d = new long[COLUMNS.length];
        for (int i = 0; i < d.length; i++) {
            // counters can step back a tick on some kernels (iowait is known to): treat that as no time
            d[i] = Math.max(0, after[i] - before[i]);
            total += d[i];
        }
        double[] s = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            s[i] = total == 0 ? 0 : 100.0 * d[i] / total;
        }
        return s;
    }

    /** Busy as node-mixin counts it: everything but idle and iowait. */
    private static double busy(double[] s) {
        return Math.max(0, 100 - s[3] - s[4]);
    }

    private static Evidence copy(Evidence e) {
        Evidence c = Evidence.of();
        e.asMap().forEach(c::put);
        return c;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
