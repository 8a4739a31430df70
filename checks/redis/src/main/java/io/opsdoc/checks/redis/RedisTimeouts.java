package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.TimeoutsCode.*;

import io.opsdoc.checks.redis.RedisFacts.ClientEntry;
import io.opsdoc.checks.redis.RedisFacts.LatencyEvent;
import io.opsdoc.checks.redis.RedisFacts.SlowlogEntry;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why are Redis clients suddenly timing out? Runs the whole checklist in one pass: round trips from the probe host,
 * clients versus maxclients and rejections, memory at its limit, slow commands, latency events, blocked clients,
 * output buffers, and forks. Rates come from two INFO samples a short window apart.
 */
public final class RedisTimeouts extends RedisCheck {
    public static final String ID = "redis-timeouts";
    static final String NOTE = "redis/client-timeouts";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "2s",
                    "time between the two INFO samples (rates: rejections, evictions, OOM errors, command times); the "
                            + "timed PINGs are spread over it; shortened to fit --timeout when needed"),
            new ParameterSpec("pings", ParameterType.INTEGER, "20", "how many timed PINGs to send"),
            new ParameterSpec("client-timeout", ParameterType.DURATION, "1s",
                    "the socket timeout your clients use: RTT_HIGH warns at a tenth of it and is critical at all of it"),
            new ParameterSpec("clients-warning", ParameterType.PERCENT, "90%", "connected clients as a share of maxclients"),
            new ParameterSpec("memory-critical", ParameterType.PERCENT, "95%",
                    "used memory as a share of maxmemory at which a policy that cannot evict means writes fail"),
            new ParameterSpec("slow-command", ParameterType.DURATION, "10ms",
                    "a command that takes longer than this on the server counts as slow"),
            new ParameterSpec("recent", ParameterType.DURATION, "5m", "how far back SLOWLOG and LATENCY entries count"),
            new ParameterSpec("omem-warning", ParameterType.BYTES, "32MiB", "output buffer of one client worth reporting"),
            new ParameterSpec("fork-warning", ParameterType.DURATION, "100ms", "a fork longer than this stalled clients"));

    static final List<String> CONFIG = List.of("maxclients", "maxmemory", "maxmemory-policy", "slowlog-log-slower-than",
            "latency-monitor-threshold", "client-output-buffer-limit", "timeout");

    private static final List<GrantSet> GRANTS = acl("INFO, CONFIG GET, SLOWLOG GET, LATENCY LATEST, CLIENT LIST and "
            + "CLUSTER INFO (asked only on cluster nodes) only read; CLIENT SETNAME names the probe's connection 'opsdoc' "
            + "so it can leave itself out.",
            "ping", "info", "config|get", "slowlog|get", "latency|latest", "client|list", "client|setname", "cluster|info");

    public RedisTimeouts() {
        super(ID, "Why are Redis clients timing out? The whole checklist in one pass",
                PARAMETERS, TimeoutsCode.class, GRANTS);
    }

    @Override
    public RedisFacts collect(CheckContext context) throws Exception {
        Parameters p = context.parameters();
        return collect(context, new CollectRequest(true, (int) Math.max(1, p.integer("pings")), true, true, true, false,
                CONFIG, true, false), p.duration("window"));
    }

    @Override
    public void evaluate(RedisFacts f, Parameters p, Evaluation.Builder out) {
        Rules.windowMetric(f, p, out);
        Map<String, String> now = Rules.latest(f);
        rtt(f, p, out);
        clients(f, now, p, out);
        Rules.memoryLimit(f, p.percent("memory-critical"), out, WRITES_REJECTED_OOM, EVICTIONS_ACTIVE);
        slowCommands(f, now, p, out);
        latencyEvents(f, now, p, out);
        blocked(f, now, out);
        outputBuffers(f, p, out);
        Rules.forks(f, p.duration("fork-warning"), out, SLOW_FORK, BACKGROUND_SAVE_RUNNING);
        RedisCluster.clusterState(f.info(), out, CLUSTER_STATE_FAIL);
    }

    private static void rtt(RedisFacts f, Parameters p, Evaluation.Builder out) {
        if (f.pingMicros() == null || f.pingMicros().isEmpty()) {
            return;
        }
        List<Long> sorted = f.pingMicros().stream().sorted().toList();
        long p50 = percentile(sorted, 50);
        long p99 = percentile(sorted, 99);
        long max = sorted.get(sorted.size() - 1);
        long timeoutUs = p.duration("client-timeout").toNanos() / 1000;
        long warnUs = timeoutUs / 10;
        out.metric(new Metric("ping_p50_seconds", p50 / 1e6, "s", Map.of(), null, null));
        out.metric(new Metric("ping_p99_seconds", p99 / 1e6, "s", Map.of(), warnUs / 1e6, timeoutUs / 1e6));
        out.metric(new Metric("ping_max_seconds", max / 1e6, "s", Map.of(), null, null));
        if (p99 > warnUs) {
            boolean critical = max >= timeoutUs;
            long slow = sorted.stream().filter(v -> v > warnUs).count();
            out.finding(RTT_HIGH, critical ? Severity.CRITICAL : Severity.WARNING, "PING round trips from the probe host: p50 "
                    + ms(p50) + ", p99 " + ms(p99) + ", max " + ms(max) + "; " + slow + " of " + sorted.size()
                    + " took longer than " + ms(warnUs) + " (a tenth of the " + ms(timeoutUs) + " client timeout)"
                    + (critical ? ": some would have timed out" : ""),
                    Evidence.of("pings", sorted.size(), "p50_ms", ms1(p50), "p99_ms", ms1(p99), "max_ms", ms1(max),
                            "warning_ms", ms1(warnUs), "client_timeout_ms", ms1(timeoutUs)));
        }
    }

    private static void clients(RedisFacts f, Map<String, String> now, Parameters p, Evaluation.Builder out) {
        long connected = Info.longValue(now, "connected_clients", 0);
        long max = Long.parseLong(f.config().getOrDefault("maxclients", "0"));
        if (max > 0) {
            double pct = 100.0 * connected / max;
            out.metric(new Metric("connected_clients", connected, "", Map.of(), max * p.percent("clients-warning") / 100, (double) max));
            if (pct >= p.percent("clients-warning")) {
                out.finding(CLIENTS_NEAR_MAXCLIENTS, Severity.WARNING, connected + " clients are connected, "
                        + Rules.round1(pct) + "% of maxclients " + max + ": a burst of new connections will be refused",
                        Evidence.of("connected_clients", connected, "maxclients", max, "used_percent", Rules.round1(pct),
                                "threshold_percent", p.percent("clients-warning")));
            }
        }
        Long rejected = Info.delta(f.info(), f.infoAfter(), "rejected_connections");
        if (rejected != null && rejected > 0) {
            out.finding(CONNECTIONS_REJECTED, Severity.CRITICAL, rejected + " connections were refused during the "
                    + f.windowMillis() + " ms sample because maxclients (" + max + ") was reached: those clients got "
                    + "\"ERR max number of clients reached\" or timed out connecting",
                    Evidence.of("rejected_connections_in_window", rejected, "window_ms", f.windowMillis(),
                            "rejected_connections_total", Info.longValue(now, "rejected_connections", 0),
                            "connected_clients", connected, "maxclients", max));
        }
    }

    private static void slowCommands(RedisFacts f, Map<String, String> now, Parameters p, Evaluation.Builder out) {
        long slowUs = p.duration("slow-command").toNanos() / 1000;
        long recentSec = p.duration("recent").toSeconds();
        long serverNow = serverTimeSeconds(now);
        // SLOWLOG: entries recorded recently (or during the window)
        Map<String, long[]> slowlog = new LinkedHashMap<>(); // command -> {count, max micros}
        if (f.slowlog() != null) {
            for (SlowlogEntry e : f.slowlog()) {
                boolean inWindow = f.slowlogBefore() != null && e.id() > f.slowlogBefore();
                boolean recent = serverNow > 0 && serverNow - e.timestamp() <= recentSec;
                if ((inWindow || recent) && e.micros() >= slowUs) {
                    String name = e.args().isEmpty() ? "?" : e.args().get(0);
                    long[] agg = slowlog.computeIfAbsent(name, k -> new long[2]);
                    agg[0]++;
                    agg[1] = Math.max(agg[1], e.micros());
                }
            }
        }
        // INFO commandstats: time per call during the window
        Map<String, long[]> windowed = new LinkedHashMap<>(); // command -> {calls, usec}
        if (f.infoAfter() != null) {
            for (var e : f.infoAfter().entrySet()) {
                if (!e.getKey().startsWith("cmdstat_")) {
                    continue;
                }
                String before = f.info().get(e.getKey());
                long calls = Info.fieldLong(e.getValue(), "calls", 0) - Info.fieldLong(before, "calls", 0);
                long usec = Info.fieldLong(e.getValue(), "usec", 0) - Info.fieldLong(before, "usec", 0);
                if (calls > 0 && usec / calls >= slowUs) {
                    windowed.put(e.getKey().substring("cmdstat_".length()), new long[] {calls, usec});
                }
            }
        }
        if (slowlog.isEmpty() && windowed.isEmpty()) {
            return;
        }
        long worst = Math.max(slowlog.values().stream().mapToLong(a -> a[1]).max().orElse(0),
                windowed.values().stream().mapToLong(a -> a[1] / a[0]).max().orElse(0));
        List<String> names = new ArrayList<>(slowlog.keySet());
        windowed.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        String offenders = names.stream().map(n -> {
            long[] s = slowlog.get(n);
            long[] w = windowed.get(n);
            return n.toUpperCase(java.util.Locale.ROOT) + " (" + (s != null ? s[0] + "x in SLOWLOG, up to " + ms(s[1]) : "")
                    + (s != null && w != null ? "; " : "") + (w != null ? ms(w[1] / w[0]) + "/call over " + w[0] + " calls in the window" : "")
                    + ")";
        }).collect(Collectors.joining(", "));
        Evidence ev = Evidence.of("commands", offenders, "slowest_ms", ms1(worst), "threshold_ms", ms1(slowUs),
                "recent_s", recentSec);
        if (f.slowlog() != null && !f.slowlog().isEmpty()) {
            SlowlogEntry top = f.slowlog().stream().max(Comparator.comparingLong(SlowlogEntry::micros)).orElseThrow();
            ev.put("slowlog_top", String.join(" ", top.args()) + " " + ms(top.micros()) + (top.client() == null ? "" : " from " + top.client()));
        }
        boolean critical = worst >= p.duration("client-timeout").toNanos() / 1000;
        out.finding(SLOW_COMMANDS, critical ? Severity.CRITICAL : Severity.WARNING, "slow commands run on the server, and "
                + "every other client waits while one runs: " + offenders, ev);
    }

    private static void latencyEvents(RedisFacts f, Map<String, String> now, Parameters p, Evaluation.Builder out) {
        if (f.latency() == null || f.latency().isEmpty()) {
            return;
        }
        long serverNow = serverTimeSeconds(now);
        long recentSec = p.duration("recent").toSeconds();
        List<LatencyEvent> recent = f.latency().stream()
                .filter(e -> serverNow <= 0 || serverNow - e.timestamp() <= recentSec).toList();
        if (recent.isEmpty()) {
            return;
        }
        String list = recent.stream().map(e -> e.event() + " " + e.latestMillis() + " ms (max " + e.maxMillis() + " ms, "
                + (serverNow > 0 ? (serverNow - e.timestamp()) + " s ago" : "at " + e.timestamp()) + ")")
                .collect(Collectors.joining(", "));
        out.finding(LATENCY_EVENTS, Severity.WARNING, "the latency monitor recorded " + recent.size()
                + " kind(s) of stall in the last " + recentSec + " s: " + list,
                Evidence.of("events", list, "latency_monitor_threshold_ms", f.config().get("latency-monitor-threshold")));
    }

    private static void blocked(RedisFacts f, Map<String, String> now, Evaluation.Builder out) {
        long blocked = Info.longValue(now, "blocked_clients", 0);
        if (blocked <= 0) {
            return;
        }
        String cmds = f.clients() == null ? "" : f.clients().stream().filter(c -> c.flags().contains("b"))
                .map(ClientEntry::cmd).distinct().collect(Collectors.joining(", "));
        out.finding(BLOCKED_CLIENTS, Severity.INFO, blocked + " client(s) are blocked waiting for data"
                + (cmds.isEmpty() ? "" : " (" + cmds + ")") + ": normal for queue consumers, but a client that times out "
                + "while blocked has a timeout shorter than its blocking command's",
                Evidence.of("blocked_clients", blocked).putIfPresent("blocking_commands", cmds));
    }

    private static void outputBuffers(RedisFacts f, Parameters p, Evaluation.Builder out) {
        if (f.clients() == null) {
            return;
        }
        long limit = p.bytes("omem-warning");
        List<ClientEntry> big = f.clients().stream().filter(c -> c.omem() >= limit).toList();
        if (big.isEmpty()) {
            return;
        }
        String who = big.stream().limit(5).map(c -> c.addr() + (c.name().isEmpty() ? "" : " (" + c.name() + ")") + " omem="
                + Info.bytes(c.omem()) + " cmd=" + c.cmd() + " idle=" + c.idle() + "s").collect(Collectors.joining("; "));
        out.finding(OUTPUT_BUFFER_PRESSURE, Severity.WARNING, big.size() + " client(s) have more than " + Info.bytes(limit)
                + " of replies queued that they are not reading: " + who,
                Evidence.of("clients", who, "largest_omem", big.get(0).omem(), "threshold", limit,
                        "client_output_buffer_limit", f.config().get("client-output-buffer-limit")));
    }

    /** The server's clock: INFO server_time_usec (6.2+); 0 when unknown. */
    static long serverTimeSeconds(Map<String, String> info) {
        long usec = Info.longValue(info, "server_time_usec", 0);
        return usec / 1_000_000;
    }

    private static long percentile(List<Long> sorted, int pct) {
        int idx = (int) Math.ceil(pct / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }

    static String ms(long micros) {
        return micros >= 10_000 ? Math.round(micros / 1000.0) + " ms" : ms1(micros) + " ms";
    }

    static double ms1(long micros) {
        return Math.round(micros / 100.0) / 10.0;
    }
}
