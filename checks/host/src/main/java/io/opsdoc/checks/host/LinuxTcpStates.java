package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.TcpStatesCode.CLOSE_WAIT_LEAK;
import static io.opsdoc.checks.host.TcpStatesCode.TIME_WAIT_EXHAUSTION;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which TCP states pile up on this host? Counts the sockets of /proc/net/tcp{,6} per state, then looks at the two
 * that mean trouble when they accumulate: CLOSE_WAIT (the peer closed, the local application has not: a leak in the
 * application, never in the kernel) and TIME_WAIT toward one destination (the active closer keeps each 4-tuple for
 * 60 s; toward one ip:port only the local port varies, so the ephemeral range runs out).
 */
public final class LinuxTcpStates extends HostCheck<TcpStatesFacts> {
    public static final String ID = "linux-tcp-states";
    static final String NOTE = "linux/tcp";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("close-wait-warning", ParameterType.INTEGER, "100",
                    "CLOSE_WAIT sockets on one local listening port (or toward one remote endpoint) at which to warn"),
            new ParameterSpec("time-wait-percent", ParameterType.PERCENT, "50%",
                    "TIME_WAIT sockets toward one remote ip:port, from ephemeral local ports, as a share of "
                            + "net.ipv4.ip_local_port_range, at which to warn"));

    public LinuxTcpStates() {
        super(ID, "Do CLOSE_WAIT or TIME_WAIT connections pile up on this Linux host?", TcpStatesFacts.class,
                PARAMETERS, HostTransportCode.with(TcpStatesCode.class), HostGrants.grants(ID,
                        "cat of /proc/net/tcp, /proc/net/tcp6 and /proc/sys/net/ipv4/ip_local_port_range"));
    }

    @Override
    public TcpStatesFacts collect(CheckContext context) throws Exception {
        return HostSession.with(context, host -> new TcpStatesFacts(host.read("/proc/net/tcp"), tcp6(host),
                host.read("/proc/sys/net/ipv4/ip_local_port_range").trim()));
    }

    /** A host booted with ipv6.disable=1 has no /proc/net/tcp6: no IPv6 sockets, not a failure. */
    static String tcp6(HostReader host) throws Exception {
        try {
            return host.read("/proc/net/tcp6");
        } catch (ProbeException e) {
            return "";
        }
    }

    @Override
    public void evaluate(TcpStatesFacts facts, Parameters p, Evaluation.Builder out) {
        List<TcpTable.Socket> all = new ArrayList<>(TcpTable.parse(facts.tcp()));
        all.addAll(TcpTable.parse(facts.tcp6()));
        Map<String, Long> perState = all.stream()
                .collect(Collectors.groupingBy(TcpTable.Socket::state, TreeMap::new, Collectors.counting()));
        perState.forEach((state, n) -> out.metric(new Metric("tcp_sockets", n, "", Map.of("state", state), null, null)));
        Set<Integer> listening = new HashSet<>();
        all.stream().filter(s -> s.state().equals("LISTEN")).forEach(s -> listening.add(s.localPort()));

        long closeWaitWarning = p.integer("close-wait-warning");
        // the server side of a leak gathers on its listening port; the client side on the remote it called
        Map<String, Long> closeWait = count(all, s -> s.state().equals("CLOSE_WAIT"),
                s -> listening.contains(s.localPort()) ? "local port " + s.localPort() : "to " + s.remote());
        List<String> leaks = top(closeWait, closeWaitWarning);
        if (!leaks.isEmpty()) {
            out.finding(CLOSE_WAIT_LEAK, Severity.WARNING, "CLOSE_WAIT piles up: " + String.join("; ", leaks)
                    + " (at or above " + closeWaitWarning + "): the peers closed these connections and the "
                    + "application holding them never called close(); find it with ss -tanp state close-wait",
                    Evidence.of("close_wait_total", perState.getOrDefault("CLOSE_WAIT", 0L), "groups", leaks,
                            "close_wait_warning", closeWaitWarning));
        }

        String[] range = facts.localPortRange().trim().split("\\s+");
        int low = Integer.parseInt(range[0]);
        int high = Integer.parseInt(range[1]);
        long size = high - low + 1L;
        double percent = p.percent("time-wait-percent");
        long limit = (long) Math.ceil(size * percent / 100.0);
        Map<String, Long> timeWait = count(all,
                s -> s.state().equals("TIME_WAIT") && s.localPort() >= low && s.localPort() <= high,
                s -> s.localIp() + " to " + s.remote());
        out.metric(Metric.of("local_port_range_size", size, ""));
        List<String> exhausting = top(timeWait, limit);
        if (!exhausting.isEmpty()) {
            long worst = timeWait.values().stream().max(Long::compare).orElse(0L);
            out.finding(TIME_WAIT_EXHAUSTION, Severity.WARNING, String.format(Locale.ROOT, "TIME_WAIT from "
                    + "ephemeral ports: %s; the largest is %.1f%% of the %d ports of ip_local_port_range %d-%d (warning "
                    + "at %.0f%%): new connections to that destination fail with EADDRNOTAVAIL once the range is used "
                    + "up; reuse connections (keep-alive, pools) rather than tuning the kernel", String.join("; ",
                            exhausting), 100.0 * worst / size, size, low, high, percent),
                    Evidence.of("time_wait_total", perState.getOrDefault("TIME_WAIT", 0L), "largest", worst,
                            "groups", exhausting, "local_port_range", low + "-" + high, "time_wait_percent", percent));
        }
    }

    private static Map<String, Long> count(List<TcpTable.Socket> all, java.util.function.Predicate<TcpTable.Socket> which,
            Function<TcpTable.Socket, String> key) {
        return all.stream().filter(which).collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.counting()));
    }

    /** Groups at or above the limit, largest first, at most five, as "key: n". */
    private static List<String> top(Map<String, Long> groups, long limit) {
        return groups.entrySet().stream().filter(e -> e.getValue() >= limit)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(5)
                .map(e -> e.getKey() + ": " + e.getValue()).toList();
    }
}
