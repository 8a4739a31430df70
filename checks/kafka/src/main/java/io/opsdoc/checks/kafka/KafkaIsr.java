package io.opsdoc.checks.kafka;

import static io.opsdoc.checks.kafka.IsrCode.*;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Are any partitions under-replicated, under their min ISR, or offline, and will that lose data? Reads every
 * topic's partitions (leader, replicas, ISR) and durability configs, and summarises per topic and per broker, so
 * a cluster with tens of thousands of partitions still yields one readable finding per problem.
 *
 * <p>This class names no Kafka type: the Admin client loads in {@link TopicsCollector}, only when it runs.
 */
public final class KafkaIsr extends DescribedCheck<TopicsFacts> {
    public static final String ID = "kafka-isr";
    static final String NOTE = "kafka/replication-isr";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("topics", ParameterType.STRING, ".*", "regular expression: only topics whose whole name matches"),
            new ParameterSpec("include-internal", ParameterType.BOOLEAN, "true",
                    "also check internal topics (__consumer_offsets, __transaction_state)"),
            new ParameterSpec("leader-imbalance-warning", ParameterType.PERCENT, "10%",
                    "share of led partitions whose preferred replica is in sync but not leader, above which "
                            + "NOT_PREFERRED_LEADER is a WARNING (INFO below); Kafka's own trigger is 10% per broker"),
            new ParameterSpec("worst-topics", ParameterType.INTEGER, "5", "how many topics a summary names"));

    private static final List<GrantSet> GRANTS = List.of(KafkaGrants.of(
            "describeCluster needs no ACL; listTopics/describeTopics need Describe on each topic (topics without it are"
                    + " silently left out); describeConfigs needs DescribeConfigs on topics and on the cluster (broker"
                    + " defaults).", false, true, true, true, false));

    public KafkaIsr() {
        super(ID, "kafka", "Are any Kafka partitions under-replicated, under their min ISR or offline, and will that lose data?",
                TopicsFacts.class, PARAMETERS, IsrCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KafkaTarget.validate(target);
    }

    @Override
    public TopicsFacts collect(CheckContext context) throws Exception {
        Parameters p = context.parameters();
        return TopicsCollector.collect(context, ID, p.bool("include-internal"), topicPattern(p));
    }

    static Pattern topicPattern(Parameters p) {
        try {
            return Pattern.compile(p.string("topics"));
        } catch (PatternSyntaxException e) {
            throw new io.opsdoc.core.UsageException("parameter topics: not a regular expression: " + e.getDescription());
        }
    }

    @Override
    public void evaluate(TopicsFacts facts, Parameters p, Evaluation.Builder out) {
        Pattern filter = topicPattern(p);
        boolean internal = p.bool("include-internal");
        int worst = (int) Math.max(1, p.integer("worst-topics"));
        List<TopicFacts> topics = facts.topics().stream()
                .filter(t -> filter.matcher(t.name()).matches() && (internal || !t.internal())).toList();
        Brokers brokers = new Brokers(facts);

        Affected offline = new Affected();
        Affected underMin = new Affected();
        Affected atMin = new Affected();
        Affected urp = new Affected();
        Affected movable = new Affected();
        Affected stuck = new Affected();
        Map<Integer, Affected> onDead = new TreeMap<>();
        Map<Integer, Integer> leadersByBroker = new TreeMap<>();
        List<String> rfTooHigh = new ArrayList<>();
        List<String> unclean = new ArrayList<>();
        int partitions = 0;
        int led = 0;
        for (TopicFacts t : topics) {
            int minIsr = t.minInsyncReplicas();
            if (t.uncleanElection()) {
                unclean.add(t.name());
            }
            if (brokers.registeredKnown && t.replicationFactor() > brokers.registered.size()) {
                rfTooHigh.add(t.name() + " (RF " + t.replicationFactor() + ")");
            }
            for (PartitionFacts part : t.partitions()) {
                partitions++;
                List<Integer> outOfSync = part.replicas().stream().filter(r -> !part.isr().contains(r)).toList();
                for (Integer r : part.replicas()) {
                    if (!brokers.live.contains(r)) {
                        onDead.computeIfAbsent(r, x -> new Affected()).add(t, part, List.of(r));
                    }
                }
                if (part.leader() == null) {
                    offline.add(t, part, part.replicas());
                    continue;
                }
                led++;
                leadersByBroker.merge(part.leader(), 1, Integer::sum);
                int isr = part.isr().size();
                if (isr < part.replicas().size()) {
                    urp.add(t, part, outOfSync);
                }
                if (isr < minIsr) {
                    underMin.add(t, part, outOfSync);
                } else if (isr == minIsr && isr < part.replicas().size()) {
                    atMin.add(t, part, outOfSync);
                }
                Integer preferred = part.preferred();
                if (preferred != null && !preferred.equals(part.leader())) {
                    boolean canMoveBack = brokers.live.contains(preferred) && part.isr().contains(preferred);
                    (canMoveBack ? movable : stuck).add(t, part, List.of(preferred));
                }
            }
        }

        metrics(out, facts, brokers, topics.size(), partitions, offline, underMin, atMin, urp, movable.partitions() + stuck.partitions());
        if (!offline.isEmpty()) {
            out.finding(OFFLINE_PARTITION, Severity.CRITICAL, offline.partitions() + " partition(s) in " + offline.topics()
                    + " topic(s) have no leader: producers and consumers of them fail; worst: " + offline.worstTopics(worst)
                    + factorSentence(offline, brokers, "every replica of"),
                    summary(offline, brokers, worst, "replicas_by_broker"));
        }
        if (!underMin.isEmpty()) {
            out.finding(UNDER_MIN_ISR, Severity.CRITICAL, underMin.partitions() + " partition(s) in " + underMin.topics()
                    + " topic(s) have fewer in-sync replicas than min.insync.replicas: producers with acks=all get "
                    + "NOT_ENOUGH_REPLICAS and nothing new is committed; worst: " + underMin.worstTopics(worst)
                    + factorSentence(underMin, brokers, "the ISR of"),
                    summary(underMin, brokers, worst, "out_of_isr_by_broker"));
        }
        if (!atMin.isEmpty()) {
            out.finding(AT_MIN_ISR, Severity.CRITICAL, atMin.partitions() + " partition(s) in " + atMin.topics()
                    + " topic(s) have exactly min.insync.replicas in sync: no failure tolerance left, one more lost "
                    + "replica stops acks=all writes; worst: " + atMin.worstTopics(worst)
                    + factorSentence(atMin, brokers, "the ISR of"),
                    summary(atMin, brokers, worst, "out_of_isr_by_broker"));
        }
        if (!urp.isEmpty()) {
            out.finding(UNDER_REPLICATED, Severity.WARNING, urp.partitions() + " partition(s) in " + urp.topics()
                    + " topic(s) are under-replicated (ISR smaller than the replica set); worst: " + urp.worstTopics(worst)
                    + factorSentence(urp, brokers, "the ISR of"),
                    summary(urp, brokers, worst, "out_of_isr_by_broker"));
        }
        onDead.forEach((id, a) -> {
            boolean registered = brokers.registered.containsKey(id);
            String state = !brokers.registeredKnown ? "is not among the live brokers"
                    : registered ? "is registered but fenced (shut down, crashed, or not caught up with the metadata)"
                            : "is not registered in the cluster any more";
            BrokerFacts b = brokers.registered.get(id);
            out.finding(REPLICA_ON_DEAD_BROKER, registered || !brokers.registeredKnown ? Severity.WARNING : Severity.CRITICAL,
                    "broker " + id + (b == null ? "" : " (" + b.address() + ")") + " " + state + ", and holds replicas of "
                            + a.partitions() + " partition(s) in " + a.topics() + " topic(s)"
                            + (registered || !brokers.registeredKnown ? "; they return when the broker does"
                                    : "; they will never return: reassign them to live brokers"),
                    Evidence.of("broker", id, "registered", brokers.registeredKnown ? registered : null,
                            "fenced", b == null ? null : b.fenced(), "partitions", a.partitions(), "topics", a.topics(),
                            "worst_topics", a.worstTopics(worst), "partition_list", a.list()),
                    "broker " + id);
        });
        if (!rfTooHigh.isEmpty()) {
            out.finding(RF_EXCEEDS_BROKERS, Severity.CRITICAL, rfTooHigh.size() + " topic(s) have more replicas than the "
                    + brokers.registered.size() + " broker(s) registered in the cluster: they can never be fully "
                    + "replicated until brokers are added or the partitions reassigned: " + limit(rfTooHigh, worst),
                    Evidence.of("registered_brokers", brokers.registered.size(), "topics", rfTooHigh.size(),
                            "worst_topics", limit(rfTooHigh, worst)));
        }
        int notPreferred = movable.partitions() + stuck.partitions();
        if (notPreferred > 0) {
            double share = led == 0 ? 0 : 100.0 * movable.partitions() / led;
            double threshold = p.percent("leader-imbalance-warning");
            Severity sev = share > threshold ? Severity.WARNING : Severity.INFO;
            String leaders = leadersByBroker.entrySet().stream().map(e -> "broker " + e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", "));
            out.finding(NOT_PREFERRED_LEADER, sev, notPreferred + " partition(s) are not led by their preferred replica; "
                    + movable.partitions() + " could move back now (preferred replica live and in sync: "
                    + String.format("%.0f%%", share) + " of led partitions)"
                    + (stuck.isEmpty() ? "" : ", " + stuck.partitions() + " wait for their preferred replica to return")
                    + "; leaders per broker: " + leaders,
                    Evidence.of("partitions", notPreferred, "movable", movable.partitions(),
                            "movable_share", String.format("%.1f%%", share), "leader-imbalance-warning",
                            p.raw().get("leader-imbalance-warning"), "leaders_by_broker", leaders,
                            "preferred_by_broker", movable.isEmpty() ? stuck.byBroker() : movable.byBroker(),
                            "worst_topics", (movable.isEmpty() ? stuck : movable).worstTopics(worst),
                            "partition_list", (movable.isEmpty() ? stuck : movable).list()));
        }
        if (!unclean.isEmpty()) {
            String brokerDefault = facts.brokerConfigs().get(TopicsFacts.UNCLEAN);
            out.finding(UNCLEAN_ELECTION_ENABLED, Severity.WARNING, unclean.size() + " topic(s) allow unclean leader "
                    + "election: when no in-sync replica is left, an out-of-sync one may become leader and the messages "
                    + "it never received are lost, even those acknowledged to acks=all producers: " + limit(unclean, worst),
                    Evidence.of("topics", unclean.size(), "unclean.leader.election.enable", "true",
                            "worst_topics", limit(unclean, worst)).putIfPresent("broker_default", brokerDefault));
        }
    }

    private static void metrics(Evaluation.Builder out, TopicsFacts facts, Brokers brokers, int topics, int partitions,
            Affected offline, Affected underMin, Affected atMin, Affected urp, int notPreferred) {
        out.metric(Metric.of("brokers_live", brokers.live.size(), ""));
        if (brokers.registeredKnown) {
            out.metric(Metric.of("brokers_fenced", facts.brokers().stream().filter(BrokerFacts::fenced).count(), ""));
        }
        out.metric(Metric.of("topics", topics, ""));
        out.metric(Metric.of("partitions", partitions, ""));
        out.metric(Metric.of("offline_partitions", offline.partitions(), ""));
        out.metric(Metric.of("under_min_isr_partitions", underMin.partitions(), ""));
        out.metric(Metric.of("at_min_isr_partitions", atMin.partitions(), ""));
        out.metric(Metric.of("under_replicated_partitions", urp.partitions(), ""));
        out.metric(Metric.of("not_preferred_leader_partitions", notPreferred, ""));
    }

    /** "; broker 2 (localhost:9094, down) is missing from the ISR of all 9: the common factor". */
    private static String factorSentence(Affected a, Brokers brokers, String what) {
        List<Integer> factors = a.commonFactors();
        if (factors.isEmpty()) {
            return "";
        }
        List<String> named = new ArrayList<>();
        for (Integer id : factors) {
            int n = a.count(id);
            named.add("broker " + id + " (" + brokers.describe(id) + ") is missing from " + what + " "
                    + (n == a.partitions() ? "all " + n : n + " of " + a.partitions()));
        }
        return "; " + String.join(", ", named) + (factors.size() == 1 ? ": the common factor" : ": the common factors");
    }

    private static Evidence summary(Affected a, Brokers brokers, int worst, String byBrokerKey) {
        List<Integer> factors = a.commonFactors();
        return Evidence.of("partitions", a.partitions(), "topics", a.topics(), "worst_topics", a.worstTopics(worst),
                byBrokerKey, a.byBroker())
                .putIfPresent("common_factor", factors.stream().map(id -> "broker " + id + " (" + brokers.describe(id) + ")")
                        .collect(Collectors.joining(", ")))
                .put("partition_list", a.list());
    }

    private static String limit(List<String> names, int n) {
        String shown = String.join(", ", names.subList(0, Math.min(n, names.size())));
        return names.size() > n ? shown + ", ... (" + (names.size() - n) + " more)" : shown;
    }

    /** Who is live, who is registered, and how to name a broker in a sentence. */
    static final class Brokers {
        final Set<Integer> live = new HashSet<>();
        final Map<Integer, BrokerFacts> registered = new HashMap<>();
        final boolean registeredKnown;

        Brokers(TopicsFacts facts) {
            this.registeredKnown = facts.fencedBrokersListed();
            for (BrokerFacts b : facts.brokers()) {
                registered.put(b.id(), b);
                if (!b.fenced()) {
                    live.add(b.id());
                }
            }
        }

        String describe(int id) {
            BrokerFacts b = registered.get(id);
            if (b == null) {
                return registeredKnown ? "not registered" : "not live";
            }
            return b.address() + (b.fenced() ? ", fenced" : ", live");
        }
    }
}
