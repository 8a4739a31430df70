package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.MemoryCode.MEMORY_HIGH;
import static io.opsdoc.checks.host.MemoryCode.OOM_KILLS;

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
import java.util.List;
import java.util.Map;

/**
 * Is this host short of memory, and has the OOM killer struck? "Used" memory is judged by MemAvailable (the
 * kernel's estimate of what can be had without swapping), not by MemFree: page cache is memory in use that the
 * kernel gives back on demand.
 */
public final class LinuxMemory extends HostCheck<MemoryFacts> {
    public static final String ID = "linux-memory";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("warning", ParameterType.PERCENT, "90%",
                    "1 - MemAvailable/MemTotal at which to warn (node-mixin NodeMemoryHighUtilization uses 90%)"),
            new ParameterSpec("critical", ParameterType.PERCENT, "95%", "1 - MemAvailable/MemTotal that is critical"),
            new ParameterSpec("window", ParameterType.DURATION, "0s",
                    "watch the oom_kill counter for this long: kills in the window are WARNING; 0s reports kills since "
                            + "boot as INFO (use a window in a gate or serve; it must be shorter than --timeout)"));

    public LinuxMemory() {
        super(ID, "Is this Linux host short of memory, and has the OOM killer ended processes?",
                MemoryFacts.class, PARAMETERS, HostTransportCode.with(MemoryCode.class),
                HostGrants.grants(ID, "cat of /proc/meminfo, /proc/vmstat and /proc/uptime"));
    }

    @Override
    public MemoryFacts collect(CheckContext context) throws Exception {
        Duration window = context.parameters().duration("window");
        return HostSession.with(context, host -> {
            Map<String, Long> meminfo = ProcFiles.keyValues(host.read("/proc/meminfo"));
            Long before = ProcFiles.keyValues(host.read("/proc/vmstat")).get("oom_kill");
            double uptime = Double.parseDouble(host.read("/proc/uptime").trim().split("\\s+")[0]);
            if (window.isZero()) {
                return new MemoryFacts(meminfo, before, null, 0, uptime);
            }
            // the window is fitted into what is left of --timeout (SamplingWindow); the facts keep the seconds
            // actually measured, so a shortened window shows
            long sleep = SamplingWindow.fit(window, context.remaining()).toMillis();
            if (sleep <= 0) {
                throw new ProbeException(ProbeErrors.TIMEOUT, "no time left to sample a window before the deadline");
            }
            long t0 = System.nanoTime();
            Thread.sleep(sleep);
            Long after = ProcFiles.keyValues(host.read("/proc/vmstat")).get("oom_kill");
            return new MemoryFacts(meminfo, before, after, (System.nanoTime() - t0) / 1e9, uptime);
        });
    }

    @Override
    public void evaluate(MemoryFacts facts, Parameters p, Evaluation.Builder out) {
        Long total = facts.meminfoKib().get("MemTotal");
        Long available = facts.meminfoKib().get("MemAvailable");
        if (total != null && available != null && total > 0) {
            double used = 100.0 * (total - available) / total;
            double warning = p.percent("warning");
            double critical = p.percent("critical");
            out.metric(new Metric("memory_used_percent", Math.round(used * 10) / 10.0, "%", Map.of(), warning, critical));
            out.metric(Metric.of("memory_available_bytes", available * 1024.0, "B"));
            if (used >= warning) {
                boolean crit = used >= critical;
                out.finding(MEMORY_HIGH, crit ? Severity.CRITICAL : Severity.WARNING,
                        String.format(java.util.Locale.ROOT, "%.1f%% of memory is in use by MemAvailable (%s of %s "
                                + "available), at or above the %s threshold of %.0f%%", used, Mounts.human(available * 1024),
                                Mounts.human(total * 1024), crit ? "critical" : "warning", crit ? critical : warning),
                        Evidence.of("MemTotal_kib", total, "MemAvailable_kib", available, "used_percent",
                                Math.round(used * 10) / 10.0).putIfPresent("SwapTotal_kib", facts.meminfoKib().get("SwapTotal"))
                                .putIfPresent("SwapFree_kib", facts.meminfoKib().get("SwapFree")));
            }
        }
        oomKills(facts, out);
    }

    private static void oomKills(MemoryFacts facts, Evaluation.Builder out) {
        if (facts.oomKillsBefore() == null) {
            return; // kernels before 4.13 have no oom_kill counter
        }
        out.metric(Metric.of("oom_kills_total", facts.oomKillsAfter() != null ? facts.oomKillsAfter()
                : facts.oomKillsBefore(), ""));
        if (facts.oomKillsAfter() != null) {
            long delta = facts.oomKillsAfter() - facts.oomKillsBefore();
            if (delta > 0) {
                out.finding(OOM_KILLS, Severity.WARNING, "the OOM killer ended " + delta + " process(es) during the "
                        + String.format(java.util.Locale.ROOT, "%.1f", facts.windowSeconds()) + " s window (a memory "
                        + "cgroup limit or the whole host ran out): dmesg names the victims",
                        Evidence.of("oom_kills_in_window", delta, "window_seconds", facts.windowSeconds(),
                                "oom_kill_total", facts.oomKillsAfter()));
            }
            return;
        }
        if (facts.oomKillsBefore() > 0) {
            out.finding(OOM_KILLS, Severity.INFO, "the OOM killer has ended " + facts.oomKillsBefore() + " process(es) "
                    + "since boot (" + Math.round(facts.uptimeSeconds() / 3600) + " h ago); set a window to see whether "
                    + "it is happening now",
                    Evidence.of("oom_kill_total", facts.oomKillsBefore(), "uptime_seconds", Math.round(facts.uptimeSeconds())));
        }
    }
}
