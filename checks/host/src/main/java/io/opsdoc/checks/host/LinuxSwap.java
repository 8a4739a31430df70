package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.SwapCode.SWAPPING_ACTIVE;
import static io.opsdoc.checks.host.SwapCode.SWAP_HIGH;

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
import java.util.Locale;
import java.util.Map;

/**
 * Is swap filling up, and is the host reading pages back from it right now? Swap in use is not harmful by itself
 * (idle pages moved out long ago); swap-ins while the check watches mean working memory no longer fits.
 */
public final class LinuxSwap extends HostCheck<SwapFacts> {
    public static final String ID = "linux-swap";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("warning", ParameterType.PERCENT, "80%", "share of swap in use at which to warn"),
            new ParameterSpec("window", ParameterType.DURATION, "0s",
                    "watch pswpin for this long: pages swapped in during the window are SWAPPING_ACTIVE; 0s does not "
                            + "look (it must be shorter than --timeout)"),
            new ParameterSpec("swap-in-pages", ParameterType.INTEGER, "1",
                    "pages swapped in during the window at which to warn"));

    public LinuxSwap() {
        super(ID, "Is swap filling up on this Linux host, and is it swapping in now?", SwapFacts.class,
                PARAMETERS, HostTransportCode.with(SwapCode.class),
                HostGrants.grants(ID, "cat of /proc/meminfo and /proc/vmstat"));
    }

    @Override
    public SwapFacts collect(CheckContext context) throws Exception {
        Duration window = context.parameters().duration("window");
        return HostSession.with(context, host -> {
            Map<String, Long> meminfo = ProcFiles.keyValues(host.read("/proc/meminfo"));
            Map<String, Long> before = ProcFiles.keyValues(host.read("/proc/vmstat"));
            long total = meminfo.getOrDefault("SwapTotal", 0L);
            long free = meminfo.getOrDefault("SwapFree", 0L);
            long in = before.getOrDefault("pswpin", 0L);
            long out = before.getOrDefault("pswpout", 0L);
            if (window.isZero()) {
                return new SwapFacts(total, free, in, out, null, null, 0);
            }
            // the window is fitted into what is left of --timeout (SamplingWindow); the facts keep the seconds
            // actually measured, so a shortened window shows
            long sleep = SamplingWindow.fit(window, context.remaining()).toMillis();
            if (sleep <= 0) {
                throw new ProbeException(ProbeErrors.TIMEOUT, "no time left to sample a window before the deadline");
            }
            long t0 = System.nanoTime();
            Thread.sleep(sleep);
            Map<String, Long> after = ProcFiles.keyValues(host.read("/proc/vmstat"));
            return new SwapFacts(total, free, in, out, after.getOrDefault("pswpin", 0L), after.getOrDefault("pswpout", 0L),
                    (System.nanoTime() - t0) / 1e9);
        });
    }

    @Override
    public void evaluate(SwapFacts facts, Parameters p, Evaluation.Builder out) {
        out.metric(Metric.of("swap_total_bytes", facts.swapTotalKib() * 1024.0, "B"));
        if (facts.swapTotalKib() > 0) {
            double used = 100.0 * (facts.swapTotalKib() - facts.swapFreeKib()) / facts.swapTotalKib();
            double warning = p.percent("warning");
            out.metric(new Metric("swap_used_percent", Math.round(used * 10) / 10.0, "%", Map.of(), warning, null));
            if (used >= warning) {
                out.finding(SWAP_HIGH, Severity.WARNING, String.format(Locale.ROOT, "%.1f%% of swap is in use (%s of %s): "
                        + "memory has been short; if pages are also swapped in now (SWAPPING_ACTIVE), the host is slow "
                        + "because of it", used, Mounts.human((facts.swapTotalKib() - facts.swapFreeKib()) * 1024),
                        Mounts.human(facts.swapTotalKib() * 1024)),
                        Evidence.of("SwapTotal_kib", facts.swapTotalKib(), "SwapFree_kib", facts.swapFreeKib(),
                                "used_percent", Math.round(used * 10) / 10.0));
            }
        }
        if (facts.swapInAfter() == null) {
            return;
        }
        long in = facts.swapInAfter() - facts.swapInBefore();
        long outPages = facts.swapOutAfter() - facts.swapOutBefore();
        out.metric(Metric.of("swap_in_pages_per_second", facts.windowSeconds() > 0 ? in / facts.windowSeconds() : 0, ""));
        if (in >= p.integer("swap-in-pages")) {
            out.finding(SWAPPING_ACTIVE, Severity.WARNING, String.format(Locale.ROOT, "%d page(s) swapped in and %d "
                    + "swapped out during the %.1f s window: processes wait for the disk to get their memory back",
                    in, outPages, facts.windowSeconds()),
                    Evidence.of("pswpin_delta", in, "pswpout_delta", outPages, "window_seconds", facts.windowSeconds()));
        }
    }
}
