package io.opsdoc.checks.memcached;

import static io.opsdoc.checks.memcached.StatsCode.CONNECTIONS_NEAR_MAX;
import static io.opsdoc.checks.memcached.StatsCode.EVICTING;
import static io.opsdoc.checks.memcached.StatsCode.HIT_RATIO_LOW;
import static io.opsdoc.checks.memcached.StatsCode.LISTEN_DISABLED;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Is memcached refusing connections, evicting, or missing most gets? Reads {@code stats} twice, a window apart, and
 * {@code stats settings}; counters are judged by what changed in the window, not since the server started, so a
 * storm of last month does not alarm today and an idle server is not "0% hit ratio".
 */
public final class MemcachedStats extends DescribedCheck<StatsFacts> {
    public static final String ID = "memcached-stats";
    static final String NOTE = "memcached/stats";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "5s",
                    "time between the two stats samples; fitted into --timeout (the evidence shows window_ms)"),
            new ParameterSpec("connections-warning", ParameterType.PERCENT, "80%",
                    "curr_connections as a share of maxconns at which to warn"),
            new ParameterSpec("connections-critical", ParameterType.PERCENT, "95%", "share that is critical"),
            new ParameterSpec("hit-ratio-warning", ParameterType.PERCENT, "80%",
                    "hits / (hits + misses) in the window below which to warn (80-90% is typical of a useful cache)"),
            new ParameterSpec("min-gets", ParameterType.INTEGER, "100",
                    "fewest gets in the window for the hit ratio to be judged at all"));

    public MemcachedStats() {
        super(ID, "memcached", "Is memcached at its connection limit, evicting, or missing most gets?",
                StatsFacts.class, PARAMETERS, StatsCode.class, List.of(new GrantSet("memcached 1.4 and later",
                        List.of("# none: the text protocol's 'stats' and 'stats settings' need no login",
                                "# with SASL (-S) memcached speaks the binary protocol only; this check reads the text "
                                        + "protocol and then cannot be used"),
                        "stats and stats settings only read counters. The TCP port must be reachable from where "
                                + "opsdoc runs; UDP is not used.")));
    }

    @Override
    public void validate(Target target) {
        if (target.hosts().size() != 1) {
            throw new UsageException("target " + target.display() + " must name one memcached server, e.g. "
                    + "memcached://cache1:11211 (check each server of a pool on its own)");
        }
    }

    @Override
    public StatsFacts collect(CheckContext context) throws Exception {
        Target.HostPort hp = new Target.HostPort(context.target().host().host(),
                context.target().host().portOr(TextProtocol.DEFAULT_PORT));
        Instant deadline = context.deadline();
        try {
            return sample(context, hp, deadline);
        } catch (ProbeException e) {
            // a pooled connection the server closed while idle: one fresh try, on a fresh connection
            if (e.code() == ProbeErrors.CONNECTION_RESET && context.clients() != ClientPool.none()) {
                return sample(context, hp, deadline);
            }
            throw e;
        }
    }

    private static StatsFacts sample(CheckContext context, Target.HostPort hp, Instant deadline) throws Exception {
        try (ClientPool.Lease<TextProtocol> lease = context.clients().lease("memcached", context,
                () -> TextProtocol.open(hp, deadline), TextProtocol::close)) {
            try {
                TextProtocol c = lease.client();
                String settings = c.statsText("stats settings", deadline);
                String first = c.statsText("stats", deadline);
                long start = System.nanoTime();
                Duration window = SamplingWindow.fit(context.parameters().duration("window"), context.remaining());
                Thread.sleep(window.toMillis());
                String second = c.statsText("stats", deadline);
                return new StatsFacts(first, second, settings, (System.nanoTime() - start) / 1_000_000);
            } catch (Exception e) {
                lease.broken();
                throw e;
            }
        }
    }

    @Override
    public void evaluate(StatsFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, String> a = TextProtocol.parse(facts.first());
        Map<String, String> b = TextProtocol.parse(facts.second());
        Map<String, String> settings = TextProtocol.parse(facts.settings());
        long windowMs = facts.windowMillis();
        long conns = num(b, "curr_connections");
        long maxconns = num(settings, "maxconns");
        double connWarn = p.percent("connections-warning");
        double connCrit = p.percent("connections-critical");
        out.metric(new Metric("memcached_connections", conns, "", Map.of(),
                maxconns > 0 ? maxconns * connWarn / 100 : null, maxconns > 0 ? maxconns * connCrit / 100 : null));
        out.metric(Metric.of("memcached_max_connections", maxconns, ""));
        if (maxconns > 0 && conns >= 0) {
            double used = 100.0 * conns / maxconns;
            if (used >= connWarn) {
                boolean crit = used >= connCrit;
                out.finding(CONNECTIONS_NEAR_MAX, crit ? CRIT : WARN, String.format(Locale.ROOT, "%d of %d "
                        + "connections in use (%.0f%%, maxconns is memcached's -c): at the limit memcached stops "
                        + "accepting, and clients time out connecting or get 'Too many open connections'", conns,
                        maxconns, used), Evidence.of("curr_connections", conns, "maxconns", maxconns, "used_percent",
                                Math.round(used)));
            }
        }
        long listenDisabled = delta(a, b, "listen_disabled_num");
        out.metric(Metric.of("memcached_listen_disabled_in_window", Math.max(0, listenDisabled), ""));
        if (listenDisabled > 0) {
            out.finding(LISTEN_DISABLED, WARN, String.format(Locale.ROOT, "memcached stopped accepting new "
                    + "connections %d time(s) in %d ms because it reached maxconns %d (listen_disabled_num %s -> %s): "
                    + "new clients waited in the kernel's backlog or timed out", listenDisabled, windowMs, maxconns,
                    a.get("listen_disabled_num"), b.get("listen_disabled_num")),
                    Evidence.of("listen_disabled_in_window", listenDisabled, "listen_disabled_num",
                            num(b, "listen_disabled_num"), "curr_connections", conns, "maxconns", maxconns,
                            "window_ms", windowMs));
        }
        long evictions = delta(a, b, "evictions");
        out.metric(Metric.of("memcached_evictions_in_window", Math.max(0, evictions), ""));
        long bytes = num(b, "bytes");
        long limit = num(b, "limit_maxbytes");
        out.metric(Metric.of("memcached_bytes", bytes, "B"));
        out.metric(Metric.of("memcached_limit_bytes", limit, "B"));
        if (evictions > 0) {
            out.finding(EVICTING, WARN, String.format(Locale.ROOT, "%d item(s) evicted in %d ms to make room "
                    + "(%d of %d bytes used): items are pushed out before they expire, so gets miss and the "
                    + "backend takes the load; give memcached more memory (-m) or more servers", evictions, windowMs,
                    bytes, limit), Evidence.of("evictions_in_window", evictions, "evictions", num(b, "evictions"),
                            "bytes", bytes, "limit_maxbytes", limit, "window_ms", windowMs));
        }
        long hits = delta(a, b, "get_hits");
        long misses = delta(a, b, "get_misses");
        long gets = hits + misses;
        long minGets = p.integer("min-gets");
        out.metric(Metric.of("memcached_gets_in_window", Math.max(0, gets), ""));
        if (gets >= minGets && gets > 0) {
            double ratio = 100.0 * hits / gets;
            out.metric(Metric.of("memcached_hit_ratio_percent", ratio, "%"));
            double warn = p.percent("hit-ratio-warning");
            if (ratio < warn) {
                out.finding(HIT_RATIO_LOW, WARN, String.format(Locale.ROOT, "%.0f%% of %d gets in %d ms found their "
                        + "key (below %.0f%%): most reads fall through to the backend", ratio, gets, windowMs, warn),
                        Evidence.of("hits_in_window", hits, "misses_in_window", misses, "hit_ratio_percent",
                                Math.round(ratio), "evictions_in_window", Math.max(0, evictions), "window_ms", windowMs));
            }
        }
    }

    private static final io.opsdoc.core.Severity WARN = io.opsdoc.core.Severity.WARNING;
    private static final io.opsdoc.core.Severity CRIT = io.opsdoc.core.Severity.CRITICAL;

    private static long num(Map<String, String> m, String key) {
        try {
            return Long.parseLong(m.getOrDefault(key, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** What a counter grew by in the window; negative when it is absent or the server restarted in between. */
    private static long delta(Map<String, String> a, Map<String, String> b, String key) {
        long x = num(a, key);
        long y = num(b, key);
        return x < 0 || y < 0 ? -1 : y - x;
    }
}
