package io.opsdoc.checks.kafka;

import static io.opsdoc.checks.kafka.DurabilityCode.*;

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
import java.util.regex.Pattern;

/**
 * Would this cluster lose acknowledged data when one broker fails? Judges configuration, not current state:
 * replication factor, min.insync.replicas against it, unclean leader election, and the internal topics that hold
 * consumer offsets and transaction state. Same facts as {@code kafka-isr}; no Kafka type here.
 */
public final class KafkaDurabilityConfig extends DescribedCheck<TopicsFacts> {
    public static final String ID = "kafka-durability-config";
    static final String NOTE = "kafka/message-loss";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("topics", ParameterType.STRING, ".*", "regular expression: only topics whose whole name matches"),
            new ParameterSpec("worst-topics", ParameterType.INTEGER, "5", "how many topics a summary names"));

    private static final List<GrantSet> GRANTS = List.of(KafkaGrants.of(
            "listTopics/describeTopics need Describe on each topic; describeConfigs needs DescribeConfigs on topics and"
                    + " on the cluster (broker defaults).", false, true, true, true, false));

    public KafkaDurabilityConfig() {
        super(ID, "kafka", "Is this Kafka cluster configured so that one broker failure neither loses acknowledged data nor stops writes?",
                TopicsFacts.class, PARAMETERS, DurabilityCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KafkaTarget.validate(target);
    }

    @Override
    public TopicsFacts collect(CheckContext context) throws Exception {
        return TopicsCollector.collect(context, ID, true, KafkaIsr.topicPattern(context.parameters()));
    }

    @Override
    public void evaluate(TopicsFacts facts, Parameters p, Evaluation.Builder out) {
        Pattern filter = KafkaIsr.topicPattern(p);
        int worst = (int) Math.max(1, p.integer("worst-topics"));
        int brokers = facts.brokers().size();
        List<String> rf1 = new ArrayList<>();
        List<String> minIsr1 = new ArrayList<>();
        List<String> noTolerance = new ArrayList<>();
        List<String> unclean = new ArrayList<>();
        List<String> internalLow = new ArrayList<>();
        int lowestInternalRf = Integer.MAX_VALUE;
        int checked = 0;
        for (TopicFacts t : facts.topics()) {
            if (!filter.matcher(t.name()).matches()) {
                continue;
            }
            checked++;
            int rf = t.replicationFactor();
            int minIsr = t.minInsyncReplicas();
            if (t.internal()) {
                // offsets and transaction state deserve RF 3 wherever the cluster has 3 brokers
                if (rf < Math.min(3, Math.max(brokers, 1)) || rf == 1) {
                    internalLow.add(t.name() + " (RF " + rf + ")");
                    lowestInternalRf = Math.min(lowestInternalRf, rf);
                }
            } else if (rf == 1) {
                rf1.add(t.name());
            }
            if (rf >= 3 && minIsr <= 1) {
                minIsr1.add(t.name() + " (RF " + rf + ", min.insync.replicas " + minIsr + ")");
            }
            if (rf > 1 && minIsr >= rf) {
                noTolerance.add(t.name() + " (RF " + rf + ", min.insync.replicas " + minIsr + ")");
            }
            if (t.uncleanElection()) {
                unclean.add(t.name());
            }
        }
        out.metric(Metric.of("topics", checked, ""));
        out.metric(Metric.of("topics_replication_factor_1", rf1.size(), ""));
        out.metric(Metric.of("topics_unclean_election", unclean.size(), ""));
        if (!internalLow.isEmpty()) {
            out.finding(INTERNAL_TOPIC_LOW_RF, lowestInternalRf <= 1 ? Severity.CRITICAL : Severity.WARNING,
                    "internal topics have fewer than 3 replicas: " + limit(internalLow, worst) + "; losing "
                            + (lowestInternalRf <= 1 ? "one broker" : "brokers") + " loses consumer group offsets or "
                            + "transaction state for every application, not just one topic's data",
                    Evidence.of("topics", limit(internalLow, worst), "brokers", brokers)
                            .putIfPresent("offsets.topic.replication.factor", facts.brokerConfigs().get("offsets.topic.replication.factor"))
                            .putIfPresent("transaction.state.log.replication.factor",
                                    facts.brokerConfigs().get("transaction.state.log.replication.factor")));
        }
        if (!rf1.isEmpty()) {
            out.finding(REPLICATION_FACTOR_1, Severity.WARNING, rf1.size() + " topic(s) have a single replica: a broker "
                    + "restart makes their partitions unavailable and a lost disk loses their data, whatever acks the "
                    + "producers use: " + limit(rf1, worst),
                    Evidence.of("topics", rf1.size(), "worst_topics", limit(rf1, worst))
                            .putIfPresent("default.replication.factor", facts.brokerConfigs().get("default.replication.factor")));
        }
        if (!minIsr1.isEmpty()) {
            out.finding(MIN_ISR_1, Severity.WARNING, minIsr1.size() + " topic(s) have min.insync.replicas 1 with 3 or "
                    + "more replicas: acks=all is then satisfied by the leader alone after the followers drop out, and a "
                    + "leader failure at that moment loses acknowledged records: " + limit(minIsr1, worst),
                    Evidence.of("topics", minIsr1.size(), "worst_topics", limit(minIsr1, worst))
                            .putIfPresent("broker_default", facts.brokerConfigs().get(TopicsFacts.MIN_ISR)));
        }
        if (!noTolerance.isEmpty()) {
            out.finding(MIN_ISR_EQUALS_RF, Severity.WARNING, noTolerance.size() + " topic(s) need every replica in sync "
                    + "to accept acks=all writes: any single broker restart or failure stops their producers: "
                    + limit(noTolerance, worst),
                    Evidence.of("topics", noTolerance.size(), "worst_topics", limit(noTolerance, worst)));
        }
        if (!unclean.isEmpty()) {
            out.finding(UNCLEAN_ELECTION_ENABLED, Severity.WARNING, unclean.size() + " topic(s) allow unclean leader "
                    + "election, so a failover may elect an out-of-sync replica and drop acknowledged records: "
                    + limit(unclean, worst),
                    Evidence.of("topics", unclean.size(), "worst_topics", limit(unclean, worst))
                            .putIfPresent("broker_default", facts.brokerConfigs().get(TopicsFacts.UNCLEAN)));
        }
    }

    private static String limit(List<String> names, int n) {
        String shown = String.join(", ", names.subList(0, Math.min(n, names.size())));
        return names.size() > n ? shown + ", ... (" + (names.size() - n) + " more)" : shown;
    }
}
