package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.TuningCode.*;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
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
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Is the host Redis runs on tuned for it? The kernel settings Redis itself warns about at start (Transparent Huge
 * Pages, vm.overcommit_memory, net.core.somaxconn against tcp-backlog) and the memory a fork needs beside the data set.
 * Redis is read over its own protocol; the host's /proc and /sys over the host transport named by {@code host}
 * ({@code local:} when opsdoc runs on the Redis host, else {@code ssh://user@host}).
 *
 * <p>somaxconn is per network namespace: it must be read where Redis listens (for a Redis in a container, over SSH
 * into that container's namespace, or local: from inside it). THP and overcommit are machine-wide.
 */
public final class RedisHostTuning extends DescribedCheck<HostTuningFacts> {
    public static final String ID = "redis-host-tuning";
    static final String NOTE = "redis/host-tuning";
    static final String THP = "/sys/kernel/mm/transparent_hugepage/enabled";
    static final String OVERCOMMIT = "/proc/sys/vm/overcommit_memory";
    static final String SOMAXCONN = "/proc/sys/net/core/somaxconn";
    private static final Pattern SELECTED = Pattern.compile("\\[(\\w+)]");

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("host", ParameterType.STRING, "local:",
                    "where the Redis server runs, to read its kernel settings: local: or "
                            + "ssh://user@host[:port][?identity=FILE] (the key unencrypted or in an SSH agent: the "
                            + "Redis password is never offered to the host)"),
            new ParameterSpec("fork-memory-share", ParameterType.PERCENT, "50%",
                    "maxmemory (used_memory when there is no maxmemory) as a share of total_system_memory above which "
                            + "a fork's copy-on-write may not fit"),
            new ParameterSpec("kernel-memory", ParameterType.BOOLEAN, "true",
                    "judge Transparent Huge Pages and vm.overcommit_memory (machine-wide); false where they are not "
                            + "yours to change, e.g. Redis in a container on a managed node (still read and shown as "
                            + "metrics)"));

    public RedisHostTuning() {
        super(ID, "redis", "Is the host Redis runs on tuned for it (THP, overcommit, somaxconn, fork headroom)?",
                HostTuningFacts.class, PARAMETERS, HostAccess.codesWith(TuningCode.class), tuningGrants());
    }

    private static List<GrantSet> tuningGrants() {
        List<GrantSet> all = new ArrayList<>(RedisCheck.acl("INFO and CONFIG GET only read; CLIENT SETNAME names "
                + "the probe's connection.", "info", "config|get", "client|setname"));
        all.addAll(HostAccess.grants(ID, "cat of " + THP + ", " + OVERCOMMIT + " and " + SOMAXCONN
                + " on the Redis host (the host parameter)"));
        return all;
    }

    @Override
    public List<String> targetSchemes() {
        return List.of("redis", Tls.SCHEME);
    }

    @Override
    public void validate(Target target) {
        RedisCheck.validateTarget(target);
    }

    @Override
    public void validate(Target target, Parameters parameters) {
        validate(target);
        host(parameters.string("host"));
    }

    /** The Redis host named by {@code host}: local: or ssh://user@host[:port][?identity=FILE]. */
    static Target host(String parameter) {
        Target t;
        try {
            t = Target.parse(parameter.trim());
        } catch (UsageException e) {
            throw new UsageException("host: '" + parameter + "' is not local: or ssh://user@host[:port]");
        }
        if (!HostAccess.SCHEMES.contains(t.scheme())) {
            throw new UsageException("host: the Redis host is local: or ssh://user@host[:port], not " + t.display());
        }
        HostAccess.validate(t);
        return t;
    }

    @Override
    public HostTuningFacts collect(CheckContext context) throws Exception {
        Target host = host(context.parameters().string("host"));
        RedisFacts redis = RedisCollector.collect(context, ID, new CollectRequest(false, 0, false, false, false, false,
                List.of("tcp-backlog", "disable-thp", "save", "appendonly")), Duration.ZERO);
        String[] files = new String[3];
        HostAccess.on(context, host, h -> {
            files[0] = optional(h, THP);
            files[1] = h.read(OVERCOMMIT).strip();
            files[2] = h.read(SOMAXCONN).strip();
            return null;
        });
        return new HostTuningFacts(redis, HostAccess.where(host), files[0], files[1], files[2]);
    }

    /** A kernel built without THP has no such file: nothing to judge, not a failure. */
    private static String optional(HostAccess.Host h, String path) throws Exception {
        try {
            return h.read(path).strip();
        } catch (ProbeException e) {
            if (e.code() == ProbeErrors.PROBE_FAILED) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void evaluate(HostTuningFacts f, Parameters p, Evaluation.Builder out) {
        Map<String, String> info = f.redis().info();
        Map<String, String> config = f.redis().config();
        boolean kernelMemory = p.bool("kernel-memory");
        thp(f, config, kernelMemory, out);
        overcommit(f, kernelMemory, out);
        somaxconn(f, config, out);
        forkHeadroom(info, config, p, out);
    }

    static String selected(String thpEnabled) {
        if (thpEnabled == null) {
            return null;
        }
        Matcher m = SELECTED.matcher(thpEnabled);
        return m.find() ? m.group(1) : thpEnabled.strip();
    }

    private static void thp(HostTuningFacts f, Map<String, String> config, boolean judge, Evaluation.Builder out) {
        String mode = selected(f.thpEnabled());
        if (mode == null) {
            return;
        }
        out.metric(Metric.of("thp_always", "always".equals(mode) ? 1 : 0, ""));
        // Redis 6.2+ turns THP off for its own process (prctl) with disable-thp yes, the default: then the
        // machine-wide 'always' no longer reaches Redis or its fork children
        String optOut = config.get("disable-thp");
        if (!judge || !"always".equals(mode) || "yes".equals(optOut)) {
            return;
        }
        out.finding(THP_ENABLED, Severity.WARNING, "Transparent Huge Pages are '" + mode + "' on " + f.host()
                + (optOut == null ? " and this Redis has no disable-thp setting (before 6.2)"
                        : " and this Redis has disable-thp " + optOut)
                + ": a fork copies 2 MiB pages on every write, so BGSAVE and AOF rewrites stall clients and use "
                + "much more memory; set it to madvise or never",
                Evidence.of("transparent_hugepage_enabled", f.thpEnabled(), "selected", mode, "host", f.host())
                        .putIfPresent("disable-thp", optOut));
    }

    private static void overcommit(HostTuningFacts f, boolean judge, Evaluation.Builder out) {
        long value;
        try {
            value = Long.parseLong(f.overcommitMemory());
        } catch (NumberFormatException | NullPointerException e) {
            return;
        }
        out.metric(Metric.of("vm_overcommit_memory", value, ""));
        if (!judge || value == 1) {
            return;
        }
        String why = value == 2
                ? "2 (strict): the kernel refuses a fork whose copy would exceed the commit limit, so a background "
                        + "save of a large data set fails even though copy-on-write would need only a fraction"
                : value + " (heuristic): under memory pressure the kernel may refuse the fork of a background save, "
                        + "and Redis logs 'Background save may fail under low memory condition'";
        out.finding(OVERCOMMIT_DISABLED, Severity.WARNING, "vm.overcommit_memory is " + why + " on " + f.host()
                + "; Redis asks for 1 (sysctl vm.overcommit_memory=1)",
                Evidence.of("vm.overcommit_memory", value, "host", f.host()));
    }

    private static void somaxconn(HostTuningFacts f, Map<String, String> config, Evaluation.Builder out) {
        long somaxconn;
        long backlog;
        try {
            somaxconn = Long.parseLong(f.somaxconn());
            backlog = Long.parseLong(config.get("tcp-backlog"));
        } catch (NumberFormatException | NullPointerException e) {
            return;
        }
        out.metric(Metric.of("somaxconn", somaxconn, ""));
        out.metric(Metric.of("tcp_backlog", backlog, ""));
        if (somaxconn >= backlog) {
            return;
        }
        out.finding(SOMAXCONN_BELOW_TCP_BACKLOG, Severity.WARNING, "net.core.somaxconn is " + somaxconn + " on "
                + f.host() + ", below Redis's tcp-backlog " + backlog + ": the kernel caps the accept queue at "
                + somaxconn + ", so a burst of new connections (a reconnect storm after a failover) overflows it and "
                + "clients wait for SYN retransmits or time out",
                Evidence.of("net.core.somaxconn", somaxconn, "tcp-backlog", backlog, "host", f.host()));
    }

    private static void forkHeadroom(Map<String, String> info, Map<String, String> config, Parameters p,
            Evaluation.Builder out) {
        long system = Info.longValue(info, "total_system_memory", 0);
        long max = Info.longValue(info, "maxmemory", Long.parseLong(config.getOrDefault("maxmemory", "0")));
        long used = Info.longValue(info, "used_memory", 0);
        if (system <= 0) {
            return;
        }
        long basis = max > 0 ? max : used;
        double share = 100.0 * basis / system;
        out.metric(Metric.of("fork_memory_share_percent", share, "%"));
        // above the machine, redis-memory's MAXMEMORY_ABOVE_SYSTEM_MEMORY already says it: not repeated here
        if (max > system) {
            return;
        }
        boolean rdb = !config.getOrDefault("save", "").isBlank();
        boolean aof = "yes".equals(config.get("appendonly"));
        long replicas = Info.longValue(info, "connected_slaves", 0);
        if (!rdb && !aof && replicas == 0) {
            return; // nothing forks: no snapshot, no AOF rewrite, no replica to sync
        }
        double limit = p.percent("fork-memory-share");
        if (share <= limit) {
            return;
        }
        List<String> forks = new ArrayList<>();
        if (rdb) {
            forks.add("RDB snapshots (save " + config.get("save") + ")");
        }
        if (aof) {
            forks.add("AOF rewrites");
        }
        if (replicas > 0) {
            forks.add("full syncs of " + replicas + " replica(s)");
        }
        out.finding(NO_FORK_HEADROOM, Severity.WARNING, String.format(Locale.ROOT, "%s %s is %.0f%% of the "
                + "machine's %s (above %.0f%%): %s fork the server, and under writes copy-on-write can need up to the "
                + "data set's size again, so the machine can run out of memory (OOM killer) or into swap mid-save",
                max > 0 ? "maxmemory" : "used_memory (no maxmemory)", Info.bytes(basis), share, Info.bytes(system),
                limit, String.join(", ", forks)),
                Evidence.of(max > 0 ? "maxmemory" : "used_memory", basis, "total_system_memory", system,
                        "share_percent", Math.round(share), "threshold_percent", limit, "forks", String.join(", ", forks)));
    }
}
