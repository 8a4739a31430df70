package io.opsdoc.checks.kafka;

import static io.opsdoc.checks.kafka.DistributionCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Is the partition layout spreading load over every broker? Counts replicas and preferred leaders per live broker
 * from the assignment (brokers holding nothing included: a broker added after the topics were created gets no
 * replica until someone reassigns), and names topics with fewer partitions than the cluster has brokers.
 *
 * <p>Where leadership currently sits, as opposed to where the assignment puts it, is {@code kafka-isr}'s
 * NOT_PREFERRED_LEADER; this check judges the assignment only, so one fault never yields both findings. Reads
 * {@code describeCluster} and {@code describeTopics} only; no Kafka type here.
 */
public final class KafkaPartitionDistribution extends DescribedCheck<TopicsFacts> {
    public static final String ID = "kafka-partition-distribution";
    static final String NOTE = "kafka/partition-distribution";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("topics", ParameterType.STRING, ".*", "regular expression: only topics whose whole name matches"),
            new ParameterSpec("include-internal", ParameterType.BOOLEAN, "true",
                    "count the replicas of internal topics (__consumer_offsets, __transaction_state) too: they load "
                            + "brokers like any other; PARTITIONS_FEWER_THAN_BROKERS never reports internal topics"),
            new ParameterSpec("imbalance-ratio", ParameterType.PERCENT, "50%",
                    "a live broker whose replica (or preferred-leader) count is further than this from the mean of "
                            + "the live brokers is out of balance: 50% means above 1.5x or below 0.5x the mean"),
            new ParameterSpec("imbalance-min-difference", ParameterType.INTEGER, "10",
                    "and at least this many replicas (or leaders) away from the mean, so that a cluster with few "
                            + "partitions does not alarm over a handful"),
            new ParameterSpec("worst-topics", ParameterType.INTEGER, "5", "how many topics a summary names"));

    private static final List<GrantSet> GRANTS = List.of(KafkaGrants.of(
            "describeCluster needs no ACL; listTopics/describeTopics need Describe on each topic (topics without it are"
                    + " silently left out, and their replicas are then not counted). No DescribeConfigs is needed.",
            false, false, true, false, false));

    public KafkaPartitionDistribution() {
        super(ID, "kafka", "Are Kafka replicas and leaders spread evenly over the brokers, and can every topic use them all?",
                TopicsFacts.class, PARAMETERS, DistributionCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KafkaTarget.validate(target);
    }

    @Override
    public TopicsFacts collect(CheckContext context) throws Exception {
        Parameters p = context.parameters();
        return TopicsCollector.collect(context, ID, p.bool("include-internal"), KafkaIsr.topicPattern(p), false);
    }

    @Override
    public void evaluate(TopicsFacts facts, Parameters p, Evaluation.Builder out) {
        Pattern filter = KafkaIsr.topicPattern(p);
        boolean internal = p.bool("include-internal");
        int worst = (int) Math.max(1, p.integer("worst-topics"));
        List<TopicFacts> topics = facts.topics().stream()
                .filter(t -> filter.matcher(t.name()).matches() && (internal || !t.internal())).toList();

        // every live broker starts at zero, so a broker that holds nothing is counted, not forgotten
        Map<Integer, Integer> replicas = new TreeMap<>();
        Map<Integer, Integer> preferred = new TreeMap<>();
        Map<Integer, Integer> leading = new TreeMap<>();
        facts.brokers().stream().filter(b -> !b.fenced()).forEach(b -> {
            replicas.put(b.id(), 0);
            preferred.put(b.id(), 0);
            leading.put(b.id(), 0);
        });
        int elsewhere = 0;
        int partitions = 0;
        for (TopicFacts t : topics) {
            for (PartitionFacts part : t.partitions()) {
                partitions++;
                for (Integer r : part.replicas()) {
                    if (replicas.containsKey(r)) {
                        replicas.merge(r, 1, Integer::sum);
                    } else {
                        elsewhere++; // on a fenced or gone broker: kafka-isr's REPLICA_ON_DEAD_BROKER
                    }
                }
                Integer first = part.preferred();
                if (first != null && preferred.containsKey(first)) {
                    preferred.merge(first, 1, Integer::sum);
                }
                if (part.leader() != null && leading.containsKey(part.leader())) {
                    leading.merge(part.leader(), 1, Integer::sum);
                }
            }
        }

        double ratio = p.percent("imbalance-ratio") / 100.0;
        long minDifference = Math.max(0, p.integer("imbalance-min-difference"));
        BrokerSpread replicaSpread = new BrokerSpread(replicas, ratio, minDifference);
        BrokerSpread leaderSpread = new BrokerSpread(preferred, ratio, minDifference);
        int brokerCount = facts.fencedBrokersListed() ? facts.brokers().size() : replicas.size();
        List<TopicFacts> narrow = topics.stream()
                .filter(t -> !t.internal() && !t.partitions().isEmpty() && t.partitions().size() < brokerCount).toList();

        out.metric(Metric.of("brokers_live", replicas.size(), ""));
        out.metric(Metric.of("partitions", partitions, ""));
        out.metric(Metric.of("replicas_per_broker_max", replicaSpread.max(), ""));
        out.metric(Metric.of("replicas_per_broker_min", replicaSpread.min(), ""));
        out.metric(Metric.of("preferred_leaders_per_broker_max", leaderSpread.max(), ""));
        out.metric(Metric.of("preferred_leaders_per_broker_min", leaderSpread.min(), ""));
        out.metric(Metric.of("topics_fewer_partitions_than_brokers", narrow.size(), ""));

        if (!replicaSpread.outliers().isEmpty()) {
            out.finding(REPLICA_IMBALANCE, Severity.WARNING, "replicas are spread unevenly over the " + replicas.size()
                    + " live brokers: " + replicaSpread.describe("replicas") + "; replicas per broker: "
                    + replicaSpread.counts() + skewedTopicsSentence(topics, replicaSpread, worst, false)
                    + ". Move replicas with kafka-reassign-partitions.sh",
                    evidence(replicaSpread, p, topics, worst, false).put("replicas_by_broker", replicaSpread.counts())
                            .put("replicas_on_other_brokers", elsewhere),
                    "replicas");
        }
        if (!leaderSpread.outliers().isEmpty()) {
            out.finding(REPLICA_IMBALANCE, Severity.WARNING, "preferred leaders are spread unevenly over the "
                    + preferred.size() + " live brokers, so even a preferred-leader election leaves client traffic "
                    + "uneven: " + leaderSpread.describe("preferred leaderships") + "; preferred leaders per broker: "
                    + leaderSpread.counts() + skewedTopicsSentence(topics, leaderSpread, worst, true)
                    + ". Reorder or move replicas with kafka-reassign-partitions.sh",
                    evidence(leaderSpread, p, topics, worst, true).put("preferred_leaders_by_broker", leaderSpread.counts())
                            .put("current_leaders_by_broker", BrokerSpread.format(leading)),
                    "leaders");
        }
        for (TopicFacts t : narrow) {
            int n = t.partitions().size();
            out.finding(PARTITIONS_FEWER_THAN_BROKERS, Severity.INFO, "topic " + t.name() + " has " + n + " partition"
                    + (n == 1 ? "" : "s") + " for " + brokerCount + " brokers: at most " + n + " broker"
                    + (n == 1 ? " leads" : "s lead") + " its traffic, and a consumer group reading it uses at most " + n
                    + " consumer" + (n == 1 ? "" : "s") + " (any more sit idle)",
                    Evidence.of("topic", t.name(), "partitions", n, "brokers", brokerCount,
                            "replication_factor", t.replicationFactor()),
                    t.name());
        }
    }

    private static Evidence evidence(BrokerSpread s, Parameters p, List<TopicFacts> topics, int worst, boolean leaders) {
        return Evidence.of("live_brokers", s.size(), "mean", round(s.mean()), "max_broker", s.maxBroker(), "max", s.max(),
                "min_broker", s.minBroker(), "min", s.min(),
                "out_of_balance", s.describe(leaders ? "preferred leaderships" : "replicas"),
                "imbalance-ratio", p.raw().get("imbalance-ratio"),
                "imbalance-min-difference", p.raw().get("imbalance-min-difference"))
                .putIfPresent("skewed_topics", skewedTopics(topics, s, worst, leaders));
    }

    /** "; most uneven topics: clicks (40 on broker 1, 0 on broker 0)", or nothing when no topic stands out. */
    private static String skewedTopicsSentence(List<TopicFacts> topics, BrokerSpread s, int worst, boolean leaders) {
        String named = skewedTopics(topics, s, worst, leaders);
        return named == null ? "" : "; most uneven topics: " + named;
    }

    /**
     * Topics ranked by how many more replicas (or preferred leaderships) they put on the busiest broker than on the
     * emptiest one. Kafka's own round-robin keeps that difference within the replication factor, so only topics above
     * it are named: those were placed by hand, or created before brokers were added.
     */
    static String skewedTopics(List<TopicFacts> topics, BrokerSpread s, int worst, boolean leaders) {
        if (s.size() < 2) {
            return null;
        }
        Map<String, int[]> gaps = new LinkedHashMap<>();
        for (TopicFacts t : topics) {
            int onMax = 0;
            int onMin = 0;
            for (PartitionFacts part : t.partitions()) {
                List<Integer> counted = leaders ? (part.preferred() == null ? List.of() : List.of(part.preferred()))
                        : part.replicas();
                onMax += (int) counted.stream().filter(b -> b == s.maxBroker()).count();
                onMin += (int) counted.stream().filter(b -> b == s.minBroker()).count();
            }
            int allowed = leaders ? 1 : Math.max(1, t.replicationFactor());
            if (onMax - onMin > allowed) {
                gaps.put(t.name(), new int[] {onMax, onMin});
            }
        }
        if (gaps.isEmpty()) {
            return null;
        }
        String shown = gaps.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue()[0] - b.getValue()[1], a.getValue()[0] - a.getValue()[1]))
                .limit(worst).map(e -> e.getKey() + " (" + e.getValue()[0] + " on broker " + s.maxBroker() + ", "
                        + e.getValue()[1] + " on broker " + s.minBroker() + ")")
                .collect(Collectors.joining(", "));
        return gaps.size() > worst ? shown + ", ... (" + (gaps.size() - worst) + " more topics)" : shown;
    }

    static String round(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** Counts per live broker against their mean: which brokers are out of balance, by the two thresholds. */
    record BrokerSpread(Map<Integer, Integer> byBroker, double ratio, long minDifference) {
        int size() {
            return byBroker.size();
        }

        double mean() {
            return byBroker.isEmpty() ? 0 : byBroker.values().stream().mapToInt(Integer::intValue).sum() / (double) size();
        }

        int max() {
            return byBroker.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        int min() {
            return byBroker.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        }

        int maxBroker() {
            return byBroker.entrySet().stream().filter(e -> e.getValue() == max()).mapToInt(Map.Entry::getKey).findFirst()
                    .orElse(-1);
        }

        int minBroker() {
            return byBroker.entrySet().stream().filter(e -> e.getValue() == min()).mapToInt(Map.Entry::getKey).findFirst()
                    .orElse(-1);
        }

        /** Brokers further from the mean than both thresholds; none on a cluster of one broker or with nothing placed. */
        List<Integer> outliers() {
            double mean = mean();
            List<Integer> out = new ArrayList<>();
            if (size() < 2 || mean == 0) {
                return out;
            }
            byBroker.forEach((id, n) -> {
                double off = Math.abs(n - mean);
                if (off > ratio * mean && off >= minDifference) {
                    out.add(id);
                }
            });
            return out;
        }

        /** "broker 0 holds no replicas at all (mean 35.7): ..., broker 1 holds 49 replicas (37% above the mean 35.7)". */
        String describe(String what) {
            double mean = mean();
            List<String> parts = new ArrayList<>();
            for (Integer id : outliers()) {
                int n = byBroker.get(id);
                if (n == 0) {
                    parts.add("broker " + id + " holds no " + what + " at all (mean " + round(mean)
                            + "): added after the topics were created and never given any?");
                } else {
                    parts.add("broker " + id + " holds " + n + " " + what + " ("
                            + String.format(Locale.ROOT, "%.0f%%", 100.0 * Math.abs(n - mean) / mean)
                            + (n > mean ? " above" : " below") + " the mean " + round(mean) + ")");
                }
            }
            return String.join(", ", parts);
        }

        String counts() {
            return format(byBroker);
        }

        static String format(Map<Integer, Integer> counts) {
            return counts.entrySet().stream().map(e -> "broker " + e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }
}
