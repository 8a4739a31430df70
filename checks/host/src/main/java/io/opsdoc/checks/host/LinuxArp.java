package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.ArpCode.ARP_INCOMPLETE;
import static io.opsdoc.checks.host.ArpCode.ARP_TABLE_NEAR_FULL;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Does this host fail to find its neighbours, or run out of room for them? Reads the IPv4 neighbour (ARP) table:
 * entries whose flags are 0x0 are neighbours asked for and never answered (INCOMPLETE while asking, FAILED after),
 * and the whole table against gc_thresh3, the hard limit past which the kernel refuses new entries ("neighbour table
 * overflow") and traffic to new peers fails.
 */
public final class LinuxArp extends HostCheck<ArpFacts> {
    public static final String ID = "linux-arp";
    static final String NOTE = "network/arp";
    /** ATF_COM: the entry is complete (a MAC is known). */
    private static final int ATF_COM = 0x2;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("interfaces", ParameterType.STRING, "", "comma-separated interfaces whose entries "
                    + "are judged for ARP_INCOMPLETE (empty: all)"),
            new ParameterSpec("incomplete-warning", ParameterType.INTEGER, "1", "unanswered entries at which to warn"),
            new ParameterSpec("table-percent", ParameterType.PERCENT, "80%", "entries as a share of gc_thresh3 at "
                    + "which to warn"));

    public LinuxArp() {
        super(ID, "Do this Linux host's neighbours answer ARP, and does its neighbour table have room?", ArpFacts.class,
                PARAMETERS, HostTransportCode.with(ArpCode.class), HostGrants.grants(ID, "cat of /proc/net/arp and "
                        + "/proc/sys/net/ipv4/neigh/default/gc_thresh2 and gc_thresh3"));
    }

    @Override
    public ArpFacts collect(CheckContext context) throws Exception {
        return HostSession.with(context, host -> new ArpFacts(host.read("/proc/net/arp"),
                threshold(host, "gc_thresh2"), threshold(host, "gc_thresh3")));
    }

    /**
     * -1 where the file is absent: the neighbour table and its thresholds are global, and a network namespace other
     * than the host's (a container, ssh into a pod) has no neigh/default/gc_thresh* of its own.
     */
    private static long threshold(HostReader host, String name) throws Exception {
        try {
            return Long.parseLong(host.read("/proc/sys/net/ipv4/neigh/default/" + name).trim());
        } catch (io.opsdoc.core.ProbeException e) {
            if (e.code() == io.opsdoc.core.ProbeErrors.PERMISSION_DENIED) {
                throw e;
            }
            return -1;
        }
    }

    /** One line of /proc/net/arp: {@code IP address  HW type  Flags  HW address  Mask  Device}. */
    record Entry(String ip, int flags, String mac, String device) {
        boolean unanswered() {
            return (flags & ATF_COM) == 0 && (flags & 0x4) == 0; // neither complete nor permanent
        }
    }

    static List<Entry> parse(String arp) {
        List<Entry> out = new ArrayList<>();
        for (String line : arp.lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6) {
                out.add(new Entry(f[0], Integer.decode(f[2]), f[3], f[5]));
            }
        }
        return out;
    }

    @Override
    public void evaluate(ArpFacts facts, Parameters p, Evaluation.Builder out) {
        List<Entry> all = parse(facts.arp());
        Set<String> interfaces = Set.of(p.string("interfaces").split("\\s*,\\s*"));
        boolean every = p.string("interfaces").isBlank();
        List<Entry> unanswered = all.stream().filter(Entry::unanswered)
                .filter(e -> every || interfaces.contains(e.device())).toList();
        out.metric(Metric.of("arp_entries", all.size(), ""));
        out.metric(Metric.of("arp_unanswered_entries", unanswered.size(), ""));
        long warnAt = p.integer("incomplete-warning");
        if (unanswered.size() >= warnAt) {
            List<String> listed = unanswered.stream().limit(10).map(e -> e.ip() + " on " + e.device()).toList();
            out.finding(ARP_INCOMPLETE, Severity.WARNING, unanswered.size() + " neighbour(s) did not answer ARP: "
                    + String.join(", ", listed) + (unanswered.size() > 10 ? " …" : "") + "; traffic to them fails with "
                    + "\"no route to host\": the host is down, its address moved, or the link or VLAN between is "
                    + "broken (ip neigh shows them INCOMPLETE or FAILED)", Evidence.of("unanswered",
                            unanswered.size(), "entries", listed, "incomplete_warning", warnAt));
        }
        double percent = p.percent("table-percent");
        double used = facts.gcThresh3() > 0 ? 100.0 * all.size() / facts.gcThresh3() : 0;
        if (facts.gcThresh3() > 0) {
            out.metric(Metric.of("arp_table_used_percent", used, "%"));
        }
        if (facts.gcThresh3() > 0 && used >= percent) {
            out.finding(ARP_TABLE_NEAR_FULL, Severity.WARNING, String.format(Locale.ROOT, "the neighbour table holds "
                    + "%d entries, %.0f%% of gc_thresh3 %d (warning at %.0f%%): past it the kernel logs \"neighbour "
                    + "table overflow\" and cannot reach new peers; raise net.ipv4.neigh.default.gc_thresh1/2/3 on "
                    + "hosts with many peers on one segment (Kubernetes nodes, flat /16 networks)", all.size(), used,
                    facts.gcThresh3(), percent), Evidence.of("entries", all.size(), "gc_thresh2", facts.gcThresh2(),
                            "gc_thresh3", facts.gcThresh3(), "table_percent", percent));
        }
    }
}
