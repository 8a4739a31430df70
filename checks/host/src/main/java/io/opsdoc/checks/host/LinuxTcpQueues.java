package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.TcpQueuesCode.ACCEPT_QUEUE_OVERFLOW;
import static io.opsdoc.checks.host.TcpQueuesCode.LISTEN_QUEUE_FULL;

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
 * Do listeners drop connections because their accept queue is full? The kernel completes the handshake and puts the
 * connection in the listener's accept queue (at most min(backlog, net.core.somaxconn)) until the application calls
 * accept(); when the queue is full it drops the client's final ACK and counts TcpExt ListenOverflows (and
 * ListenDrops). This check takes those counters over a window, and compares each listener's current queue (Recv-Q)
 * with its backlog (Send-Q of {@code ss -ltn}).
 */
public final class LinuxTcpQueues extends HostCheck<TcpQueuesFacts> {
    public static final String ID = "linux-tcp-queues";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "2s",
                    "time between the two samples of /proc/net/netstat (fitted into --timeout)"),
            new ParameterSpec("overflows", ParameterType.INTEGER, "1",
                    "ListenOverflows counted during the window at which to warn (any overflow is a dropped handshake)"),
            new ParameterSpec("ports", ParameterType.STRING, "",
                    "comma-separated local ports whose listeners LISTEN_QUEUE_FULL judges; empty: every listener (the "
                            + "overflow counters are host-wide either way)"));

    public LinuxTcpQueues() {
        super(ID, "Do TCP listeners on this Linux host drop connections because their accept queue is full?",
                TcpQueuesFacts.class, PARAMETERS, HostTransportCode.with(TcpQueuesCode.class), HostGrants.grants(ID,
                        "cat of /proc/net/netstat (twice over the window), /proc/net/tcp and /proc/net/tcp6, and "
                                + "'ss -ltn' (listening sockets only; iproute2)"));
    }

    @Override
    public TcpQueuesFacts collect(CheckContext context) throws Exception {
        Duration window = context.parameters().duration("window");
        return HostSession.with(context, host -> {
            String before = tcpExt(host.read("/proc/net/netstat"));
            long sleep = SamplingWindow.fit(window, context.remaining()).toMillis();
            if (sleep <= 0) {
                throw new ProbeException(ProbeErrors.TIMEOUT, "no time left to sample a window before the deadline");
            }
            long t0 = System.nanoTime();
            Thread.sleep(sleep);
            String after = tcpExt(host.read("/proc/net/netstat"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            String tcp = host.read("/proc/net/tcp");
            String tcp6 = LinuxTcpStates.tcp6(host);
            String ss;
            try {
                ss = host.listeningSockets();
            } catch (ProbeException e) {
                if (e.code().equals(ProbeErrors.TIMEOUT)) {
                    throw e;
                }
                ss = null; // no ss on the host: the overflow counters still decide, the backlog is unknown
            } catch (java.io.IOException e) {
                ss = null;
            }
            return new TcpQueuesFacts(before, after, seconds, onlyListening(tcp), onlyListening(tcp6), ss);
        });
    }

    /** The two TcpExt lines (names, values) of /proc/net/netstat. */
    private static String tcpExt(String netstat) throws ProbeException {
        String lines = netstat.lines().filter(l -> l.startsWith("TcpExt:")).collect(Collectors.joining("\n"));
        if (lines.lines().count() != 2) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "/proc/net/netstat has no TcpExt header and values");
        }
        return lines;
    }

    /** The header and the LISTEN rows: the facts stay small on a host with many connections. */
    private static String onlyListening(String table) {
        return table.lines().filter(l -> l.contains(" sl ") || l.trim().split("\\s+").length > 3
                && l.trim().split("\\s+")[3].equals("0A")).collect(Collectors.joining("\n"));
    }

    static Map<String, Long> counters(String tcpExt) {
        List<String> lines = tcpExt.lines().toList();
        Map<String, Long> out = new LinkedHashMap<>();
        if (lines.size() != 2) {
            return out;
        }
        String[] names = lines.get(0).trim().split("\\s+");
        String[] values = lines.get(1).trim().split("\\s+");
        for (int i = 1; i < Math.min(names.length, values.length); i++) {
            out.put(names[i], Long.parseLong(values[i]));
        }
        return out;
    }

    /** Listener "address:port" to {Recv-Q, Send-Q} from ss -ltn. */
    static Map<String, long[]> backlogs(String ss) {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (ss == null) {
            return out;
        }
        for (String line : ss.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].equals("LISTEN")) {
                continue;
            }
            try {
                out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            } catch (NumberFormatException e) {
                // not a socket line
            }
        }
        return out;
    }

    @Override
    public void evaluate(TcpQueuesFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, Long> before = counters(facts.netstatBefore());
        Map<String, Long> after = counters(facts.netstatAfter());
        long overflows = delta(before, after, "ListenOverflows");
        long drops = delta(before, after, "ListenDrops");
        out.metric(Metric.of("listen_overflows_in_window", overflows, ""));
        out.metric(Metric.of("listen_drops_in_window", drops, ""));
        out.metric(Metric.of("listen_overflows_total", after.getOrDefault("ListenOverflows", 0L), ""));

        List<TcpTable.Socket> listeners = new ArrayList<>(TcpTable.parse(facts.tcp()));
        listeners.addAll(TcpTable.parse(facts.tcp6()));
        Map<String, long[]> ss = backlogs(facts.ssListening());
        java.util.Set<String> ports = LinuxProcessThreads.names(p.string("ports"));
        if (!ports.isEmpty()) {
            ss.keySet().removeIf(address -> !ports.contains(address.substring(address.lastIndexOf(':') + 1)));
            listeners.removeIf(l -> !ports.contains(Integer.toString(l.localPort())));
        }
        List<String> full = new ArrayList<>();
        List<String> queued = new ArrayList<>();
        for (Map.Entry<String, long[]> e : ss.entrySet()) {
            long recvQ = e.getValue()[0];
            long backlog = e.getValue()[1];
            if (recvQ > 0) {
                queued.add(e.getKey() + " " + recvQ + "/" + backlog);
            }
            // Linux counts the queue full when it holds more than the backlog (sk_acceptq_is_full: ack_backlog >
            // max_ack_backlog), so a queue at its backlog takes one more and then drops
            if (recvQ >= backlog && recvQ > 0) {
                full.add(e.getKey() + " (Recv-Q " + recvQ + ", backlog " + backlog + ")");
            }
        }
        if (ss.isEmpty()) {
            // without ss only the queue lengths from /proc/net/tcp are known
            listeners.stream().filter(s -> s.rxQueue() > 0).forEach(s -> queued.add(s.local() + " " + s.rxQueue() + "/?"));
        }
        Evidence evidence = Evidence.of("ListenOverflows_delta", overflows, "ListenDrops_delta", drops,
                "window_ms", Math.round(facts.windowSeconds() * 1000), "queued_listeners", queued,
                "backlog_known", facts.ssListening() != null);
        long threshold = p.integer("overflows");
        if (overflows >= threshold) {
            out.finding(ACCEPT_QUEUE_OVERFLOW, Severity.WARNING, String.format(Locale.ROOT, "%d handshake(s) dropped "
                    + "in %.1f s because an accept queue was full (TcpExt ListenOverflows +%d, ListenDrops +%d)%s: "
                    + "clients see connect timeouts or retransmitted SYNs; the application accepts too slowly or its "
                    + "backlog is too small", overflows, facts.windowSeconds(), overflows, drops,
                    full.isEmpty() ? (queued.isEmpty() ? "" : "; queued: " + String.join(", ", queued))
                            : "; full now: " + String.join(", ", full)), evidence);
        }
        if (!full.isEmpty()) {
            out.finding(LISTEN_QUEUE_FULL, Severity.WARNING, "accept queue at its backlog: " + String.join(", ", full)
                    + ": the next completed handshake is dropped; the process behind it does not call accept() fast "
                    + "enough (stuck, or all workers busy)", Evidence.of("listeners", full));
        }
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String name) {
        return Math.max(0, after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L));
    }
}
