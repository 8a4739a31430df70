package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.HitRatioCode.HIT_RATIO_LOW;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Is the cache answering the reads it is asked? keyspace_hits / (hits + misses) from two INFO samples a window apart.
 *
 * <p>A check of its own, not a code of redis-memory: memory answers "is the limit safe" from one snapshot in a short
 * window, while a hit ratio needs enough lookups to mean anything (a longer window, and no verdict on an idle
 * server), and its usual causes are the application's (key names changed by a deploy, short TTLs, a flush) as often
 * as evictions. Evictions and expirations in the same window are in the evidence so that the reader sees at once
 * whether memory explains the misses (then redis-memory says why). Parameters and wording follow memcached-stats'
 * HIT_RATIO_LOW, so the two caches are judged alike.
 */
public final class RedisHitRatio extends RedisCheck {
    public static final String ID = "redis-hit-ratio";
    static final String NOTE = "redis/hit-ratio";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "5s",
                    "time between the two INFO samples; fitted into --timeout (the evidence shows window_ms)"),
            new ParameterSpec("hit-ratio-warning", ParameterType.PERCENT, "80%",
                    "hits / (hits + misses) in the window below which to warn (80-90% is typical of a useful cache)"),
            new ParameterSpec("min-lookups", ParameterType.INTEGER, "100",
                    "fewest key lookups (hits + misses) in the window for the hit ratio to be judged at all"));

    private static final List<GrantSet> GRANTS = acl("INFO only reads counters; CLIENT SETNAME names the probe's "
            + "connection.", "info", "client|setname");

    public RedisHitRatio() {
        super(ID, "Is the Redis cache finding the keys it is asked for?", PARAMETERS, HitRatioCode.class, GRANTS);
    }

    @Override
    public RedisFacts collect(CheckContext context) throws Exception {
        return collect(context, new CollectRequest(true, 0, false, false, false, false, List.of()),
                context.parameters().duration("window"));
    }

    @Override
    public void evaluate(RedisFacts f, Parameters p, Evaluation.Builder out) {
        Rules.windowMetric(f, p, out);
        Long hits = Info.delta(f.info(), f.infoAfter(), "keyspace_hits");
        Long misses = Info.delta(f.info(), f.infoAfter(), "keyspace_misses");
        if (hits == null || misses == null) {
            // a restart between the samples (counters went down) or a server without the fields: nothing to judge
            return;
        }
        long lookups = hits + misses;
        long minLookups = p.integer("min-lookups");
        out.metric(Metric.of("lookups_in_window", lookups, ""));
        if (lookups < minLookups || lookups == 0) {
            return;
        }
        double ratio = 100.0 * hits / lookups;
        double warn = p.percent("hit-ratio-warning");
        out.metric(new Metric("hit_ratio_percent", ratio, "%", Map.of(), warn, null));
        if (ratio >= warn) {
            return;
        }
        Map<String, String> now = Rules.latest(f);
        Long evicted = Info.delta(f.info(), f.infoAfter(), "evicted_keys");
        Long expired = Info.delta(f.info(), f.infoAfter(), "expired_keys");
        String cause = evicted != null && evicted > 0
                ? "; " + evicted + " key(s) were evicted in the same window, so memory explains at least part of it "
                        + "(see redis-memory)"
                : "; no key was evicted in the window, so look at what the application asks for (key names, TTLs, "
                        + "a flush or restart)";
        out.finding(HIT_RATIO_LOW, Severity.WARNING, String.format(Locale.ROOT, "%.0f%% of %d key lookups in %d ms "
                + "found their key (below %.0f%%): most reads fall through to the backend", ratio, lookups,
                f.windowMillis(), warn) + cause,
                Evidence.of("hits_in_window", hits, "misses_in_window", misses, "hit_ratio_percent", Math.round(ratio),
                        "threshold_percent", warn, "evicted_keys_in_window", evicted == null ? 0 : evicted,
                        "window_ms", f.windowMillis())
                        .putIfPresent("expired_keys_in_window", expired)
                        .putIfPresent("keys", Rules.keys(now))
                        .putIfPresent("maxmemory_policy", now.get("maxmemory_policy")));
    }
}
