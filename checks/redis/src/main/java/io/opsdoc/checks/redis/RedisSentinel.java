package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.SentinelCode.*;

import io.opsdoc.checks.redis.SentinelFacts.MasterView;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Can Sentinel fail this master over? Asks one Sentinel about a master (or all it monitors): is the master down in
 * its view or by agreement, can the Sentinels reach their quorum, are there enough of them, and is there a replica
 * to promote.
 */
public final class RedisSentinel extends DescribedCheck<SentinelFacts> {
    public static final String ID = "redis-sentinel";
    static final String NOTE = "redis/sentinel";
    static final int DEFAULT_PORT = 26379;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("min-sentinels", ParameterType.INTEGER, "3", "how many Sentinels should watch each master"),
            new ParameterSpec("recent-failover", ParameterType.DURATION, "1h",
                    "a failover (the master's address changed) this recent is reported"));

    private static final List<GrantSet> GRANTS = List.of(
            new GrantSet("Redis Sentinel 6.2 and later (ACL on the Sentinel)", List.of("ACL SETUSER opsdoc reset on "
                    + "><password> +ping +sentinel|masters +sentinel|master +sentinel|ckquorum +sentinel|replicas "
                    + "+sentinel|sentinels +sentinel|get-master-addr-by-name +client|setname"),
                    "run on each Sentinel (Sentinels do not share users, and the check asks every Sentinel of the "
                            + "group for the master's address with the same user); the SENTINEL subcommands listed only read "
                            + "state. Then use redis-sentinel://opsdoc@host:26379/MASTER with the password from --password-env."),
            new GrantSet("Sentinels without a password", List.of("# nothing to grant"),
                    "a Sentinel with no requirepass/ACL answers anyone; consider protecting it, since SENTINEL "
                            + "commands can also trigger failovers and change configuration."));

    public RedisSentinel() {
        super(ID, "redis-sentinel", "Can Redis Sentinel see the master, agree, and fail it over?",
                SentinelFacts.class, PARAMETERS, SentinelCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        target.host();
        if (target.hosts().size() > 1) {
            throw new UsageException("target " + target.display() + " names several Sentinels; check them one at a time "
                    + "(redis-sentinel://host:26379/MASTER)");
        }
        String name = masterName(target);
        if (name != null && name.contains("/")) {
            throw new UsageException("target " + target.display() + ": the path must be just the master name, e.g. /mymaster");
        }
    }

    static String masterName(Target target) {
        String p = target.path();
        if (p == null || p.isEmpty() || p.equals("/")) {
            return null;
        }
        return p.substring(1);
    }

    @Override
    public SentinelFacts collect(CheckContext context) throws Exception {
        return RedisCollector.collectSentinel(context, ID, masterName(context.target()));
    }

    @Override
    public void evaluate(SentinelFacts facts, Parameters p, Evaluation.Builder out) {
        if (facts.masters().isEmpty()) {
            out.finding(MASTER_UNKNOWN, Severity.CRITICAL, facts.asked() == null ? "this Sentinel monitors no master at all"
                    : "this Sentinel does not monitor a master named '" + facts.asked() + "' (a typo, or the Sentinel was "
                    + "reset or never configured with 'sentinel monitor')", Evidence.of("master_name", facts.asked()));
            return;
        }
        for (MasterView m : facts.masters()) {
            master(m, p, out, facts.masters().size() > 1 || facts.asked() != null ? m.name() : null);
        }
    }

    private static void master(MasterView m, Parameters p, Evaluation.Builder out, String subject) {
        Map<String, String> s = m.master();
        String flags = s.getOrDefault("flags", "");
        String addr = s.get("ip") + ":" + s.get("port");
        long known = Info.longValue(s, "num-other-sentinels", 0) + 1;
        long quorum = Info.longValue(s, "quorum", 0);
        Map<String, String> labels = Map.of("master", m.name());
        out.metric(new Metric("sentinels_known", known, "", labels, null, null));
        if (flags.contains("o_down")) {
            out.finding(MASTER_ODOWN, Severity.CRITICAL, "the Sentinels agree that master '" + m.name() + "' (" + addr
                    + ") is down (o_down)" + (flags.contains("failover_in_progress") ? " and a failover is in progress"
                    : "; no failover has completed, so clients that ask Sentinel still get this dead address"),
                    Evidence.of("flags", flags, "master", addr, "quorum", quorum)
                            .putIfPresent("last-ok-ping-reply", s.get("last-ok-ping-reply"))
                            .putIfPresent("down-after-milliseconds", s.get("down-after-milliseconds")), subject);
        } else if (flags.contains("s_down")) {
            out.finding(MASTER_SDOWN, Severity.WARNING, "this Sentinel sees master '" + m.name() + "' (" + addr
                    + ") down (s_down), but not enough Sentinels agree for o_down, so no failover starts",
                    Evidence.of("flags", flags, "master", addr, "quorum", quorum)
                            .putIfPresent("last-ok-ping-reply", s.get("last-ok-ping-reply")), subject);
        }
        if (!m.quorumOk()) {
            out.finding(QUORUM_NOT_REACHABLE, Severity.CRITICAL, "SENTINEL CKQUORUM fails for '" + m.name() + "': "
                    + m.ckquorum() + "; if the master fails now, no failover can happen",
                    Evidence.of("ckquorum", m.ckquorum(), "quorum", quorum, "sentinels_known", known), subject);
        }
        long wanted = p.integer("min-sentinels");
        if (known < wanted) {
            out.finding(TOO_FEW_SENTINELS, Severity.WARNING, "only " + known + " Sentinel(s) watch '" + m.name()
                    + "' (at least " + wanted + " on separate hosts are needed so that losing one still leaves a majority)",
                    Evidence.of("sentinels_known", known, "min_sentinels", wanted, "quorum", quorum,
                            "others", m.sentinels().stream().map(x -> x.get("ip") + ":" + x.get("port"))
                                    .collect(Collectors.joining(" "))), subject);
        }
        if (flags.contains("failover_in_progress")) {
            out.finding(FAILOVER_IN_PROGRESS, Severity.WARNING, "this Sentinel is failing master '" + m.name() + "' over "
                    + "right now (state " + s.getOrDefault("failover-state", "?") + "): until the promoted replica is "
                    + "announced, clients asking Sentinel get the old address, and writes to it fail or are lost",
                    Evidence.of("flags", flags, "master", addr).putIfPresent("failover-state", s.get("failover-state"))
                            .putIfPresent("config-epoch", s.get("config-epoch"))
                            .putIfPresent("failover-timeout", s.get("failover-timeout")), subject);
        } else {
            long epoch = Info.longValue(s, "config-epoch", 0);
            long sinceMs = Info.longValue(s, "role-reported-time", -1);
            long recentMs = p.duration("recent-failover").toMillis();
            if (epoch > 0 && sinceMs >= 0 && sinceMs <= recentMs) {
                out.finding(RECENT_FAILOVER, Severity.WARNING, "master '" + m.name() + "' has been at " + addr + " for only "
                        + (sinceMs / 1000) + " s and has failed over before (config-epoch " + epoch + "): a failover "
                        + "probably just happened; clients that cached the old address time out or write to the old "
                        + "master until they ask Sentinel again (or this Sentinel was restarted or reset since)",
                        Evidence.of("master", addr, "config-epoch", epoch, "role_reported_ms_ago", sinceMs,
                                "recent_failover_ms", recentMs), subject);
            }
        }
        if (m.masterAddr() != null && m.peers() != null) {
            List<SentinelFacts.PeerAnswer> differ = m.peers().stream()
                    .filter(a -> a.masterAddr() != null && !a.masterAddr().equals(m.masterAddr())).toList();
            String unanswered = m.peers().stream().filter(a -> a.masterAddr() == null)
                    .map(a -> a.sentinel() + " (" + (a.error() == null ? "no address" : a.error()) + ")")
                    .collect(Collectors.joining(", "));
            if (!differ.isEmpty()) {
                String list = differ.stream().map(a -> a.sentinel() + " says " + a.masterAddr())
                        .collect(Collectors.joining(", "));
                out.finding(MASTER_ADDR_DISAGREEMENT, Severity.CRITICAL, "the Sentinels disagree about where master '"
                        + m.name() + "' is: this one says " + m.masterAddr() + ", " + list + "; clients get a different "
                        + "master depending on which Sentinel they ask, and writes split between them",
                        Evidence.of("this_sentinel_says", m.masterAddr(), "others", list, "config-epoch",
                                s.get("config-epoch")).putIfPresent("unanswered", unanswered.isEmpty() ? null : unanswered),
                        subject);
            }
        }
        List<Map<String, String>> healthy = m.replicas().stream().filter(r -> {
            String f = r.getOrDefault("flags", "");
            return !f.contains("s_down") && !f.contains("o_down") && !f.contains("disconnected")
                    && "ok".equals(r.get("master-link-status")) && !"0".equals(r.get("slave-priority"))
                    && !"0".equals(r.get("replica-priority"));
        }).toList();
        out.metric(new Metric("replicas_promotable", healthy.size(), "", labels, null, null));
        if (healthy.isEmpty()) {
            String list = m.replicas().isEmpty() ? "none known" : m.replicas().stream()
                    .map(r -> r.get("ip") + ":" + r.get("port") + " flags=" + r.get("flags") + " link="
                            + r.get("master-link-status") + " priority=" + r.getOrDefault("slave-priority", r.get("replica-priority")))
                    .collect(Collectors.joining("; "));
            out.finding(NO_HEALTHY_REPLICA, Severity.WARNING, "master '" + m.name() + "' has no replica Sentinel could "
                    + "promote (" + list + "): a failover would fail", Evidence.of("replicas", list,
                    "num-slaves", s.get("num-slaves")), subject);
        }
    }
}
