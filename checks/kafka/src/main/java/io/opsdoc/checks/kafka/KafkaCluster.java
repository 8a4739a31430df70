package io.opsdoc.checks.kafka;

import static io.opsdoc.checks.kafka.ClusterCode.*;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Are all brokers up, is the KRaft metadata quorum caught up, and do the log dirs have room? Reads
 * {@code describeCluster}, {@code describeMetadataQuorum} and {@code describeLogDirs}. No Kafka type here.
 */
public final class KafkaCluster extends DescribedCheck<ClusterFacts> {
    public static final String ID = "kafka-cluster";
    static final String NOTE = "kafka/cluster";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("expected-brokers", ParameterType.INTEGER, "0",
                    "how many brokers should be live; 0 = every registered broker (needs Kafka 4.0+ to see fenced ones)"),
            new ParameterSpec("quorum-lag-warning", ParameterType.DURATION, "30s",
                    "a quorum voter or observer (broker) whose last catch-up is older than this, by the leader's clock"),
            new ParameterSpec("log-dir-usage-warning", ParameterType.PERCENT, "80%", "log dir usage at which to warn"),
            new ParameterSpec("log-dir-usage-critical", ParameterType.PERCENT, "95%", "log dir usage that is critical"));

    private static final List<GrantSet> GRANTS = List.of(KafkaGrants.of(
            "describeCluster needs no ACL; describeMetadataQuorum and describeLogDirs need Describe on the cluster.",
            true, false, false, false, false));

    public KafkaCluster() {
        super(ID, "kafka", "Are all Kafka brokers up, is the KRaft metadata quorum caught up, and do the log dirs have room?",
                ClusterFacts.class, PARAMETERS, ClusterCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KafkaTarget.validate(target);
    }

    @Override
    public ClusterFacts collect(CheckContext context) throws Exception {
        return ClusterCollector.collect(context, ID);
    }

    @Override
    public void evaluate(ClusterFacts facts, Parameters p, Evaluation.Builder out) {
        brokers(facts, p, out);
        quorum(facts, p, out);
        logDirs(facts, p, out);
    }

    private static void brokers(ClusterFacts facts, Parameters p, Evaluation.Builder out) {
        List<BrokerFacts> live = facts.brokers().stream().filter(b -> !b.fenced()).toList();
        List<BrokerFacts> fenced = facts.brokers().stream().filter(BrokerFacts::fenced).toList();
        long expected = p.integer("expected-brokers");
        out.metric(new Metric("brokers_live", live.size(), "", Map.of(), null, expected > 0 ? (double) expected : null));
        out.metric(Metric.of("brokers_registered", facts.brokers().size(), ""));
        String fencedNames = fenced.stream().map(b -> b.id() + " (" + b.address() + ")").collect(Collectors.joining(", "));
        String liveIds = live.stream().map(b -> Integer.toString(b.id())).collect(Collectors.joining(", "));
        if (expected > 0 && live.size() < expected) {
            out.finding(BROKER_MISSING, Severity.CRITICAL, live.size() + " of " + expected + " expected brokers are live"
                    + (fenced.isEmpty() ? "; the missing ones are not even registered (never started, or unregistered)"
                            : "; registered but fenced (down, or not caught up with the metadata): " + fencedNames),
                    Evidence.of("live", live.size(), "expected-brokers", expected, "live_ids", liveIds)
                            .putIfPresent("fenced", fencedNames));
        } else if (!fenced.isEmpty()) {
            out.finding(BROKER_MISSING, Severity.WARNING, fenced.size() + " registered broker(s) are fenced: "
                    + fencedNames + "; they hold no leadership and serve no clients until they are back",
                    Evidence.of("live", live.size(), "registered", facts.brokers().size(), "fenced", fencedNames,
                            "live_ids", liveIds));
        }
    }

    private static void quorum(ClusterFacts facts, Parameters p, Evaluation.Builder out) {
        ClusterFacts.QuorumFacts q = facts.quorum();
        if (q == null) {
            return;
        }
        out.metric(Metric.of("quorum_voters", q.voters().size(), ""));
        out.metric(Metric.of("quorum_high_watermark", q.highWatermark(), ""));
        // "now" by the leader's clock: its own last fetch time as a voter, so our clock's skew does not matter
        Long now = q.voters().stream().filter(v -> v.id() == q.leaderId()).map(ClusterFacts.QuorumMember::lastFetchTimestamp)
                .findFirst().orElse(null);
        if (now == null) {
            now = q.voters().stream().map(ClusterFacts.QuorumMember::lastFetchTimestamp).filter(x -> x != null)
                    .max(Long::compare).orElse(null);
        }
        if (now == null) {
            return;
        }
        long limit = p.duration("quorum-lag-warning").toMillis();
        List<String> lagging = new ArrayList<>();
        long worstMs = 0;
        for (String role : List.of("voter", "observer")) {
            for (ClusterFacts.QuorumMember m : role.equals("voter") ? q.voters() : q.observers()) {
                if (m.id() == q.leaderId() || m.lastCaughtUpTimestamp() == null) {
                    continue;
                }
                long behind = now - m.lastCaughtUpTimestamp();
                if (behind > limit) {
                    lagging.add(role + " " + m.id() + " (" + (behind / 1000) + "s, " + (q.highWatermark() - m.logEndOffset())
                            + " records behind)");
                    worstMs = Math.max(worstMs, behind);
                }
            }
        }
        out.metric(new Metric("quorum_max_catch_up_age_seconds", worstMs / 1000.0, "s", Map.of(), limit / 1000.0, null));
        if (!lagging.isEmpty()) {
            out.finding(QUORUM_LAGGING, Severity.WARNING, "metadata quorum members have not caught up with the leader "
                    + "(controller " + q.leaderId() + ") for longer than " + p.raw().get("quorum-lag-warning") + ": "
                    + String.join(", ", lagging) + "; a broker that is behind serves stale metadata, a voter that is "
                    + "behind cannot take over as controller",
                    Evidence.of("leader", q.leaderId(), "leader_epoch", q.leaderEpoch(), "high_watermark", q.highWatermark(),
                            "lagging", String.join(", ", lagging), "quorum-lag-warning", p.raw().get("quorum-lag-warning")));
        }
    }

    private static void logDirs(ClusterFacts facts, Parameters p, Evaluation.Builder out) {
        double warn = p.percent("log-dir-usage-warning");
        double crit = p.percent("log-dir-usage-critical");
        for (ClusterFacts.LogDirFacts d : facts.logDirs()) {
            if (d.totalBytes() == null || d.usableBytes() == null || d.totalBytes() <= 0 || d.error() != null) {
                continue;
            }
            double used = 100.0 * (d.totalBytes() - d.usableBytes()) / d.totalBytes();
            out.metric(new Metric("log_dir_used_percent", Math.round(used * 10) / 10.0, "%",
                    Map.of("broker", Integer.toString(d.broker()), "dir", d.path()), warn, crit));
            if (used >= warn) {
                out.finding(LOG_DIR_FILLING, used >= crit ? Severity.CRITICAL : Severity.WARNING,
                        "log dir " + d.path() + " on broker " + d.broker() + " is " + String.format("%.1f%%", used)
                                + " full (" + human(d.usableBytes()) + " free of " + human(d.totalBytes()) + "); when it "
                                + "fills, the broker takes the directory offline and every partition on it loses this replica",
                        Evidence.of("broker", d.broker(), "dir", d.path(), "used", String.format("%.1f%%", used),
                                "usable_bytes", d.usableBytes(), "total_bytes", d.totalBytes(), "replicas", d.replicas(),
                                used >= crit ? "log-dir-usage-critical" : "log-dir-usage-warning",
                                p.raw().get(used >= crit ? "log-dir-usage-critical" : "log-dir-usage-warning")),
                        "broker " + d.broker() + " " + d.path());
            }
        }
    }

    private static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
