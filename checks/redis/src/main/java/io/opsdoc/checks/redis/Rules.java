package io.opsdoc.checks.redis;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.CheckCode;
import io.opsdoc.core.Severity;
import java.time.Duration;
import java.util.Map;

/** Rules more than one Redis check applies: memory at its limit, evictions, forks. Pure functions of the facts. */
final class Rules {
    static final String MEMORY_NOTE = "redis/memory";
    static final String PERSISTENCE_NOTE = "redis/persistence";

    // the titles of the codes several checks declare (each in its own code table), so they read the same everywhere
    static final String OOM_TITLE = "memory is at maxmemory and the policy cannot evict: writes fail with OOM";
    static final String EVICTIONS_TITLE = "keys are being evicted to stay under maxmemory";
    static final String SLOW_FORK_TITLE = "the last fork (for a snapshot, AOF rewrite or full sync) froze the server too long";
    static final String BACKGROUND_SAVE_TITLE = "a snapshot or AOF rewrite child is running now";

    private Rules() {
    }

    static boolean policyCannotEvict(RedisFacts f) {
        String policy = policy(f);
        return "noeviction".equals(policy) || (policy.startsWith("volatile-") && expiringKeys(f.info()) == 0);
    }

    static String policy(RedisFacts f) {
        String p = f.info().get("maxmemory_policy");
        return p == null ? f.config().getOrDefault("maxmemory-policy", "") : p;
    }

    static long maxmemory(RedisFacts f) {
        long fromInfo = Info.longValue(f.info(), "maxmemory", -1);
        return fromInfo >= 0 ? fromInfo : Long.parseLong(f.config().getOrDefault("maxmemory", "0"));
    }

    /**
     * The window the rates were measured over, as a metric: SamplingWindow may have shortened the requested one to
     * fit --timeout, and a reader comparing rates must see the real length (the findings' evidence has window_ms).
     */
    static void windowMetric(RedisFacts f, io.opsdoc.core.Parameters p, io.opsdoc.core.Evaluation.Builder out) {
        if (f.windowMillis() != null) {
            out.metric(new io.opsdoc.core.Metric("sample_window_seconds", f.windowMillis() / 1000.0, "s", Map.of(),
                    null, null));
        }
    }

    static Map<String, String> latest(RedisFacts f) {
        return f.infoAfter() != null ? f.infoAfter() : f.info();
    }

    static long expiringKeys(Map<String, String> info) {
        long n = 0;
        for (var e : info.entrySet()) {
            if (e.getKey().matches("db\\d+")) {
                n += Info.fieldLong(e.getValue(), "expires", 0);
            }
        }
        return n;
    }

    static long keys(Map<String, String> info) {
        long n = 0;
        for (var e : info.entrySet()) {
            if (e.getKey().matches("db\\d+")) {
                n += Info.fieldLong(e.getValue(), "keys", 0);
            }
        }
        return n;
    }

    /** OOM error replies counted by INFO errorstats (6.2+); null when the server has no errorstats. */
    static Long oomErrors(Map<String, String> info) {
        if (info == null) {
            return null;
        }
        String v = info.get("errorstat_OOM");
        if (v == null) {
            return info.keySet().stream().anyMatch(k -> k.startsWith("errorstat_")) || info.containsKey("total_error_replies") ? 0L : null;
        }
        return Info.fieldLong(v, "count", 0);
    }

    /**
     * WRITES_REJECTED_OOM and EVICTIONS_ACTIVE, as the calling check's own constants ({@code oomCode},
     * {@code evictionsCode}). Returns true when writes are being refused.
     */
    static boolean memoryLimit(RedisFacts f, double criticalPercent, Evaluation.Builder out, CheckCode oomCode,
            CheckCode evictionsCode) {
        Map<String, String> now = latest(f);
        long max = maxmemory(f);
        long used = Info.longValue(now, "used_memory", 0);
        String policy = policy(f);
        Long oomBefore = oomErrors(f.info());
        Long oomAfter = oomErrors(f.infoAfter());
        Long oomInWindow = oomBefore != null && oomAfter != null && oomAfter >= oomBefore ? oomAfter - oomBefore : null;
        double pct = max > 0 ? 100.0 * used / max : 0;
        boolean atLimit = max > 0 && pct >= criticalPercent;
        boolean refused = false;
        if ((atLimit && policyCannotEvict(f)) || (oomInWindow != null && oomInWindow > 0)) {
            refused = true;
            String why = "noeviction".equals(policy) ? "the policy is noeviction"
                    : policy.startsWith("volatile-") ? "the policy " + policy + " may evict only keys with a TTL, and "
                    + (expiringKeys(now) == 0 ? "no key has one" : "it is not freeing enough") : "eviction cannot keep up";
            Evidence e = Evidence.of("used_memory", used, "maxmemory", max, "used_percent", round1(pct),
                    "maxmemory_policy", policy, "threshold_percent", criticalPercent);
            if (oomInWindow != null) {
                e.put("oom_errors_in_window", oomInWindow).put("window_ms", f.windowMillis());
            }
            out.finding(oomCode, Severity.CRITICAL, "memory is at its limit (" + Info.bytes(used) + " of "
                    + Info.bytes(max) + ") and " + why + ": write commands fail with \"OOM command not allowed\""
                    + (oomInWindow != null && oomInWindow > 0 ? " (" + oomInWindow + " rejected during the " + f.windowMillis()
                    + " ms sample)" : ""), e);
        }
        Long evicted = Info.delta(f.info(), f.infoAfter(), "evicted_keys");
        if (evicted != null && evicted > 0) {
            double perSecond = evicted * 1000.0 / Math.max(1, f.windowMillis());
            out.finding(evictionsCode, Severity.WARNING, evicted + " keys were evicted during the " + f.windowMillis()
                    + " ms sample (" + round1(perSecond) + "/s, policy " + policy + "): the data set does not fit in "
                    + Info.bytes(max) + ", so reads miss and go to the backing store",
                    Evidence.of("evicted_keys_in_window", evicted, "evicted_per_second", round1(perSecond),
                            "used_memory", used, "maxmemory", max, "maxmemory_policy", policy,
                            "evicted_keys_total", Info.longValue(now, "evicted_keys", 0)));
        }
        return refused;
    }

    /** SLOW_FORK and BACKGROUND_SAVE_RUNNING, as the calling check's own constants. */
    static void forks(RedisFacts f, Duration forkWarning, Evaluation.Builder out, CheckCode slowForkCode,
            CheckCode backgroundSaveCode) {
        Map<String, String> now = latest(f);
        long forkUsec = Info.longValue(now, "latest_fork_usec", 0);
        if (forkUsec > forkWarning.toNanos() / 1000) {
            out.finding(slowForkCode, Severity.WARNING, "the last fork took " + round1(forkUsec / 1000.0)
                    + " ms, and the server answered nothing while it ran (threshold " + forkWarning.toMillis() + " ms)",
                    Evidence.of("latest_fork_usec", forkUsec, "threshold_usec", forkWarning.toNanos() / 1000,
                            "used_memory_rss", Info.longValue(now, "used_memory_rss", 0)));
        }
        boolean rdb = "1".equals(now.get("rdb_bgsave_in_progress"));
        boolean aof = "1".equals(now.get("aof_rewrite_in_progress"));
        if (rdb || aof) {
            Evidence e = Evidence.of("rdb_bgsave_in_progress", now.get("rdb_bgsave_in_progress"),
                    "aof_rewrite_in_progress", now.get("aof_rewrite_in_progress"))
                    .putIfPresent("rdb_current_bgsave_time_sec", rdb ? now.get("rdb_current_bgsave_time_sec") : null)
                    .putIfPresent("aof_current_rewrite_time_sec", aof ? now.get("aof_current_rewrite_time_sec") : null)
                    .putIfPresent("current_fork_perc", now.get("current_fork_perc"));
            out.finding(backgroundSaveCode, Severity.INFO, (rdb ? "a snapshot (BGSAVE)" : "an AOF rewrite")
                    + " is being written by a fork child right now: copy-on-write memory and disk I/O rise until it ends", e);
        }
    }

    static double round1(double d) {
        return Math.round(d * 10) / 10.0;
    }
}
