package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.MemoryCode.*;

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
import java.util.Map;

/** Memory: used versus maxmemory versus the machine, whether the eviction policy can evict, fragmentation. */
public final class RedisMemory extends RedisCheck {
    public static final String ID = "redis-memory";
    static final String NOTE = Rules.MEMORY_NOTE;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "2s", "time between the two INFO samples (evictions, OOM errors); shortened to fit --timeout when needed"),
            new ParameterSpec("memory-warning", ParameterType.PERCENT, "90%", "used memory as a share of maxmemory worth a warning"),
            new ParameterSpec("memory-critical", ParameterType.PERCENT, "95%",
                    "used memory as a share of maxmemory at which a policy that cannot evict means writes fail"),
            new ParameterSpec("fragmentation-ratio", ParameterType.INTEGER, "150",
                    "used_memory_rss / used_memory, in percent, above which memory counts as fragmented"),
            new ParameterSpec("fragmentation-min", ParameterType.BYTES, "100MiB",
                    "fragmentation matters only when RSS exceeds used memory by at least this much (small instances always "
                            + "show a high ratio)"));

    private static final List<GrantSet> GRANTS = acl("INFO and CONFIG GET only read; CLIENT SETNAME names the probe's "
            + "connection.", "info", "config|get", "client|setname");

    public RedisMemory() {
        super(ID, "Is Redis memory bounded, and can it evict when full?",
                PARAMETERS, MemoryCode.class, GRANTS);
    }

    @Override
    public RedisFacts collect(CheckContext context) throws Exception {
        return collect(context, new CollectRequest(true, 0, false, false, false, false,
                List.of("maxmemory", "maxmemory-policy")), context.parameters().duration("window"));
    }

    @Override
    public void evaluate(RedisFacts f, Parameters p, Evaluation.Builder out) {
        Rules.windowMetric(f, p, out);
        Map<String, String> now = Rules.latest(f);
        long used = Info.longValue(now, "used_memory", 0);
        long rss = Info.longValue(now, "used_memory_rss", 0);
        long max = Rules.maxmemory(f);
        long system = Info.longValue(now, "total_system_memory", 0);
        String policy = Rules.policy(f);
        out.metric(new Metric("used_memory_bytes", used, "B", Map.of(), null, null));
        out.metric(new Metric("used_memory_rss_bytes", rss, "B", Map.of(), null, null));
        if (max > 0) {
            out.metric(new Metric("maxmemory_bytes", max, "B", Map.of(), null, null));
        }
        if (max == 0) {
            out.finding(MAXMEMORY_UNSET, Severity.WARNING, "maxmemory is 0 (no limit): Redis grows until the machine "
                    + "runs out, then the kernel's OOM killer ends it or swapping makes every command slow",
                    Evidence.of("maxmemory", 0, "used_memory", used, "total_system_memory", system, "maxmemory_policy", policy));
        } else if (system > 0 && max > system) {
            out.finding(MAXMEMORY_ABOVE_SYSTEM_MEMORY, Severity.WARNING, "maxmemory " + Info.bytes(max)
                    + " is more than the machine's " + Info.bytes(system) + ": the limit will never be reached before "
                    + "the machine runs out of memory",
                    Evidence.of("maxmemory", max, "total_system_memory", system, "used_memory", used));
        }
        boolean refused = Rules.memoryLimit(f, p.percent("memory-critical"), out, WRITES_REJECTED_OOM, EVICTIONS_ACTIVE);
        if (!refused && max > 0 && 100.0 * used / max >= p.percent("memory-warning")) {
            out.finding(MEMORY_NEAR_LIMIT, Severity.WARNING, "used memory is " + Rules.round1(100.0 * used / max)
                    + "% of maxmemory (" + Info.bytes(used) + " of " + Info.bytes(max) + "); at the limit the policy "
                    + policy + (Rules.policyCannotEvict(f) ? " cannot evict, so writes will fail" : " starts evicting keys"),
                    Evidence.of("used_memory", used, "maxmemory", max, "used_percent", Rules.round1(100.0 * used / max),
                            "threshold_percent", p.percent("memory-warning"), "maxmemory_policy", policy));
        }
        long keys = Rules.keys(now);
        if (policy.startsWith("volatile-") && keys > 0 && Rules.expiringKeys(now) == 0) {
            out.finding(VOLATILE_POLICY_WITHOUT_TTLS, Severity.WARNING, "the eviction policy " + policy
                    + " may evict only keys that have a TTL, and none of the " + keys + " keys has one: at maxmemory it "
                    + "behaves like noeviction and writes fail",
                    Evidence.of("maxmemory_policy", policy, "keys", keys, "keys_with_ttl", 0));
        }
        double ratio = used > 0 ? (double) rss / used : 0;
        if (ratio * 100 > p.integer("fragmentation-ratio") && rss - used >= p.bytes("fragmentation-min")) {
            out.finding(FRAGMENTATION_HIGH, Severity.WARNING, "the process holds " + Info.bytes(rss) + " of RAM for "
                    + Info.bytes(used) + " of data (ratio " + Rules.round1(ratio) + "): " + Info.bytes(rss - used)
                    + " is lost to fragmentation",
                    Evidence.of("used_memory_rss", rss, "used_memory", used, "ratio", Rules.round1(ratio),
                            "mem_fragmentation_ratio", now.get("mem_fragmentation_ratio"),
                            "threshold_ratio", p.integer("fragmentation-ratio") / 100.0, "min_bytes", p.bytes("fragmentation-min"))
                            .putIfPresent("mem_allocator", now.get("mem_allocator"))
                            .putIfPresent("active_defrag_running", now.get("active_defrag_running")));
        }
    }
}
