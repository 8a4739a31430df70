package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.NetTrafficCode.NIC_DROPS;
import static io.opsdoc.checks.host.NetTrafficCode.NIC_ERRORS;

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
import java.util.Set;

/**
 * Does an interface lose packets? Two samples of {@code /proc/net/dev} over a window give, per interface, the
 * packets moved and the errors (bad frames, CRC, FIFO overruns, carrier) and drops (no buffer, MTU too small for the
 * frame, a full queue) counted meanwhile. Errors and drops are judged as a share of the packets, as node-mixin's
 * NodeNetworkReceiveErrs does: a few drops on a busy link are noise, a steady share is a fault.
 */
public final class LinuxNetTraffic extends HostCheck<NetTrafficFacts> {
    public static final String ID = "linux-net-traffic";
    static final String NOTE = "linux/net-traffic";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "2s",
                    "time between the two samples of /proc/net/dev (fitted into --timeout)"),
            new ParameterSpec("interfaces", ParameterType.STRING, "",
                    "comma-separated interfaces to judge; empty: every interface but lo"),
            new ParameterSpec("error-percent", ParameterType.PERCENT, "1%",
                    "receive or transmit errors as a share of that direction's packets in the window at which to warn "
                            + "(node-mixin NodeNetworkReceiveErrs / NodeNetworkTransmitErrs: 1%)"),
            new ParameterSpec("drop-percent", ParameterType.PERCENT, "1%",
                    "drops as a share of that direction's packets (delivered plus dropped) at which to warn"));

    public LinuxNetTraffic() {
        super(ID, "Do this Linux host's network interfaces count errors or drop packets?", NetTrafficFacts.class,
                PARAMETERS, HostTransportCode.with(NetTrafficCode.class),
                HostGrants.grants(ID, "cat of /proc/net/dev, twice over the window"));
    }

    @Override
    public NetTrafficFacts collect(CheckContext context) throws Exception {
        Duration window = context.parameters().duration("window");
        return HostSession.with(context, host -> {
            String before = host.read("/proc/net/dev");
            long sleep = SamplingWindow.fit(window, context.remaining()).toMillis();
            if (sleep <= 0) {
                throw new ProbeException(ProbeErrors.TIMEOUT, "no time left to sample a window before the deadline");
            }
            long t0 = System.nanoTime();
            Thread.sleep(sleep);
            String after = host.read("/proc/net/dev");
            return new NetTrafficFacts(before, after, (System.nanoTime() - t0) / 1e9);
        });
    }

    /** Interface name to its 16 counters (rx: bytes packets errs drop fifo frame compressed multicast, then tx). */
    static Map<String, long[]> counters(String dev) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String line : dev.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.contains("|")) {
                continue; // the two header lines
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 16) {
                continue;
            }
            long[] v = new long[16];
            for (int i = 0; i < 16; i++) {
                v[i] = Long.parseLong(f[i]);
            }
            out.put(line.substring(0, colon).trim(), v);
        }
        return out;
    }

    @Override
    public void evaluate(NetTrafficFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, long[]> before = counters(facts.devBefore());
        Map<String, long[]> after = counters(facts.devAfter());
        Set<String> only = LinuxProcessThreads.names(p.string("interfaces"));
        double errorPercent = p.percent("error-percent");
        double dropPercent = p.percent("drop-percent");
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            String name = e.getKey();
            long[] b = before.get(name);
            if (b == null || (only.isEmpty() ? name.equals("lo") : !only.contains(name))) {
                continue;
            }
            long[] d = new long[16];
            for (int i = 0; i < 16; i++) {
                d[i] = Math.max(0, e.getValue()[i] - b[i]); // counters reset when a driver reloads
            }
            long rxPackets = d[1];
            long rxErrs = d[2];
            long rxDrop = d[3];
            long txPackets = d[9];
            long txErrs = d[10];
            long txDrop = d[11];
            Map<String, String> labels = Map.of("interface", name);
            out.metric(new Metric("nic_rx_packets_in_window", rxPackets, "", labels, null, null));
            out.metric(new Metric("nic_tx_packets_in_window", txPackets, "", labels, null, null));
            out.metric(new Metric("nic_drops_in_window", rxDrop + txDrop, "", labels, null, null));
            out.metric(new Metric("nic_errors_in_window", rxErrs + txErrs, "", labels, null, null));
            Evidence evidence = Evidence.of("interface", name, "rx_packets", rxPackets, "rx_errs", rxErrs,
                    "rx_drop", rxDrop, "tx_packets", txPackets, "tx_errs", txErrs, "tx_drop", txDrop,
                    "window_ms", Math.round(facts.windowSeconds() * 1000));
            judge(out, NIC_ERRORS, name, "receive errors", rxErrs, rxPackets, errorPercent, facts, evidence);
            judge(out, NIC_ERRORS, name, "transmit errors", txErrs, txPackets, errorPercent, facts, evidence);
            judge(out, NIC_DROPS, name, "received packets dropped", rxDrop, rxPackets + rxDrop, dropPercent, facts,
                    evidence);
            judge(out, NIC_DROPS, name, "packets to send dropped", txDrop, txPackets + txDrop, dropPercent, facts,
                    evidence);
        }
    }

    private static void judge(Evaluation.Builder out, NetTrafficCode code, String name, String what, long bad,
            long packets, double percent, NetTrafficFacts facts, Evidence evidence) {
        if (bad <= 0 || packets <= 0) {
            return;
        }
        double share = 100.0 * bad / packets;
        if (share < percent) {
            return;
        }
        String advice = code == NIC_ERRORS
                ? "look at the cable, the switch port and the driver (ethtool -S " + name + ", dmesg)"
                : "compare the MTU on both ends of the link, the ring sizes (ethtool -g) and the receive backlog "
                        + "(softnet_stat)";
        out.finding(code, Severity.WARNING, String.format(Locale.ROOT, "%s: %d %s in %.1f s, %.1f%% of %d (warning at "
                + "%.0f%%): %s", name, bad, what, facts.windowSeconds(), share, packets, percent, advice),
                copy(evidence).put("direction", what).put("share_percent", Math.round(share * 10) / 10.0));
    }

    private static Evidence copy(Evidence e) {
        Evidence c = Evidence.of();
        e.asMap().forEach(c::put);
        return c;
    }
}
