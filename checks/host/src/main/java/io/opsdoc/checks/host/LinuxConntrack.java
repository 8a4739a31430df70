package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.ConntrackCode.CONNTRACK_DROPS;
import static io.opsdoc.checks.host.ConntrackCode.CONNTRACK_NEAR_FULL;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Is the netfilter connection-tracking table filling up, and does it drop packets? When the table is full, every new
 * flow the firewall (or NAT, Docker, kube-proxy) must track is dropped ("nf_conntrack: table full, dropping packet"
 * in the kernel log): new connections time out while old ones work.
 */
public final class LinuxConntrack extends HostCheck<ConntrackFacts> {
    public static final String ID = "linux-conntrack";
    static final String NOTE = "linux/conntrack";
    /** The per-CPU counters that mean a packet was lost for want of an entry. */
    private static final List<String> DROP_COUNTERS = List.of("drop", "early_drop", "insert_failed");

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("warning", ParameterType.PERCENT, "75%",
                    "nf_conntrack_count as a share of nf_conntrack_max at which to warn (node-mixin "
                            + "NodeHighNumberConntrackEntriesUsed: 75%)"),
            new ParameterSpec("critical", ParameterType.PERCENT, "90%", "share of nf_conntrack_max that is critical"),
            new ParameterSpec("window", ParameterType.DURATION, "2s",
                    "time between the two samples of /proc/net/stat/nf_conntrack (fitted into --timeout)"));

    public LinuxConntrack() {
        super(ID, "Is the connection-tracking table of this Linux host near nf_conntrack_max, and does it drop?",
                ConntrackFacts.class, PARAMETERS, HostTransportCode.with(ConntrackCode.class), HostGrants.grants(ID,
                        "cat of /proc/sys/net/netfilter/nf_conntrack_count and nf_conntrack_max, and of "
                                + "/proc/net/stat/nf_conntrack twice over the window"));
    }

    @Override
    public ConntrackFacts collect(CheckContext context) throws Exception {
        Duration window = context.parameters().duration("window");
        return HostSession.with(context, host -> {
            long count;
            try {
                count = Long.parseLong(host.read("/proc/sys/net/netfilter/nf_conntrack_count").trim());
            } catch (ProbeException e) {
                if (e.code().equals(ProbeErrors.PROBE_FAILED)) {
                    return new ConntrackFacts(-1, -1, null, null, 0); // nf_conntrack is not loaded: nothing to fill
                }
                throw e;
            }
            long max = Long.parseLong(host.read("/proc/sys/net/netfilter/nf_conntrack_max").trim());
            String before = host.read("/proc/net/stat/nf_conntrack");
            long sleep = SamplingWindow.fit(window, context.remaining()).toMillis();
            if (sleep <= 0) {
                throw new ProbeException(ProbeErrors.TIMEOUT, "no time left to sample a window before the deadline");
            }
            long t0 = System.nanoTime();
            Thread.sleep(sleep);
            String after = host.read("/proc/net/stat/nf_conntrack");
            return new ConntrackFacts(count, max, before, after, (System.nanoTime() - t0) / 1e9);
        });
    }

    /** Sums each column of /proc/net/stat/nf_conntrack over the CPU rows (hex counters). */
    static Map<String, Long> sums(String stat) {
        Map<String, Long> out = new LinkedHashMap<>();
        List<String> lines = stat.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return out;
        }
        String[] names = lines.get(0).trim().split("\\s+");
        for (String row : lines.subList(1, lines.size())) {
            String[] v = row.trim().split("\\s+");
            for (int i = 0; i < Math.min(names.length, v.length); i++) {
                out.merge(names[i], Long.parseLong(v[i], 16), Long::sum);
            }
        }
        return out;
    }

    @Override
    public void evaluate(ConntrackFacts facts, Parameters p, Evaluation.Builder out) {
        if (facts.max() <= 0) {
            return; // not loaded: no table, no drops
        }
        double used = 100.0 * facts.count() / facts.max();
        double warning = p.percent("warning");
        double critical = p.percent("critical");
        out.metric(Metric.of("conntrack_entries", facts.count(), ""));
        out.metric(Metric.of("conntrack_entries_limit", facts.max(), ""));
        out.metric(new Metric("conntrack_used_percent", Math.round(used * 10) / 10.0, "%", Map.of(), warning, critical));
        if (used >= warning) {
            boolean crit = used >= critical;
            out.finding(CONNTRACK_NEAR_FULL, crit ? Severity.CRITICAL : Severity.WARNING, String.format(Locale.ROOT,
                    "%d of %d conntrack entries used (%.1f%%, %s at %.0f%%): when the table is full, new flows are "
                            + "dropped ('nf_conntrack: table full, dropping packet')", facts.count(), facts.max(), used,
                    crit ? "critical" : "warning", crit ? critical : warning),
                    Evidence.of("nf_conntrack_count", facts.count(), "nf_conntrack_max", facts.max(),
                            "used_percent", Math.round(used * 10) / 10.0));
        }
        Map<String, Long> before = sums(facts.statBefore());
        Map<String, Long> after = sums(facts.statAfter());
        Evidence evidence = Evidence.of("window_ms", Math.round(facts.windowSeconds() * 1000));
        long lost = 0;
        for (String c : DROP_COUNTERS) {
            long d = Math.max(0, after.getOrDefault(c, 0L) - before.getOrDefault(c, 0L));
            evidence.put(c + "_delta", d);
            lost += d;
        }
        out.metric(Metric.of("conntrack_drops_in_window", lost, ""));
        if (lost > 0) {
            out.finding(CONNTRACK_DROPS, Severity.CRITICAL, String.format(Locale.ROOT, "%d packet(s) dropped in %.1f s "
                    + "for want of a conntrack entry (drop, early_drop, insert_failed): new connections through this "
                    + "host fail or retry", lost, facts.windowSeconds()),
                    evidence.put("nf_conntrack_count", facts.count()).put("nf_conntrack_max", facts.max()));
        }
    }
}
