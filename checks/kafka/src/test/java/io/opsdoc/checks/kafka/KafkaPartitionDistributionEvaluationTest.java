package io.opsdoc.checks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * kafka-partition-distribution's thresholds on clusters the lab cannot hold: a large balanced cluster stays quiet, a
 * scale-out nobody reassigned to is named, a tiny cluster does not alarm over a handful of replicas, and replicas on
 * a fenced broker are left to kafka-isr.
 */
class KafkaPartitionDistributionEvaluationTest {
    private final KafkaPartitionDistribution check = new KafkaPartitionDistribution();

    private static List<Finding> findings(Evaluation e, String code) {
        return e.findings().stream().filter(f -> f.code().equals(code)).toList();
    }

    @Test
    void aLargeRoundRobinClusterIsBalanced() {
        Evaluation e = SyntheticFacts.evaluate(check, SyntheticFacts.cluster(6, 1000, 20, Set.of()), Map.of());
        assertThat(e.findings()).isEmpty();
    }

    @Test
    void brokersAddedAfterTheTopicsWereCreatedHoldNothingAndAreNamed() {
        TopicsFacts old = SyntheticFacts.cluster(3, 50, 6, Set.of());
        List<BrokerFacts> brokers = new ArrayList<>(old.brokers());
        for (int b = 3; b < 6; b++) {
            brokers.add(new BrokerFacts(b, "b" + b + ".example", 9092, null, false));
        }
        TopicsFacts scaledOut = new TopicsFacts(old.clusterId(), brokers, true, 0, old.brokerConfigs(), old.topics());
        Evaluation e = SyntheticFacts.evaluate(check, scaledOut, Map.of());
        List<Finding> imbalance = findings(e, "REPLICA_IMBALANCE");
        assertThat(imbalance).extracting(Finding::subject).containsExactlyInAnyOrder("replicas", "leaders");
        Finding replicas = imbalance.stream().filter(f -> f.subject().equals("replicas")).findFirst().orElseThrow();
        assertThat(replicas.severity()).isEqualTo(Severity.WARNING);
        assertThat(replicas.summary()).contains("broker 3 holds no replicas at all", "broker 4 holds no replicas at all",
                "broker 5 holds no replicas at all");
        assertThat(replicas.evidence()).containsEntry("min", 0).containsEntry("mean", "150.0")
                .containsEntry("replicas_by_broker", "broker 0: 300, broker 1: 300, broker 2: 300, broker 3: 0, broker 4: 0, broker 5: 0");
        // every topic avoids the new brokers: the five most uneven are named, the rest counted
        assertThat(replicas.evidence().get("skewed_topics").toString()).endsWith("... (45 more topics)");
    }

    @Test
    void aHandPlacedTopicIsNamedWithTheBrokersItAvoids() {
        List<BrokerFacts> brokers = List.of(new BrokerFacts(0, "b0", 9092, null, false),
                new BrokerFacts(1, "b1", 9092, null, false), new BrokerFacts(2, "b2", 9092, null, false));
        List<PartitionFacts> even = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            List<Integer> r = List.of(p % 3, (p + 1) % 3, (p + 2) % 3);
            even.add(new PartitionFacts(p, r.get(0), r, r));
        }
        List<PartitionFacts> piled = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            List<Integer> r = p % 2 == 0 ? List.of(1, 2) : List.of(2, 1);
            piled.add(new PartitionFacts(p, r.get(0), r, r));
        }
        TopicsFacts facts = new TopicsFacts("c", brokers, true, null, Map.of(), List.of(
                new TopicFacts("orders", false, Map.of(), even), new TopicFacts("clicks", false, Map.of(), piled)));
        Evaluation e = SyntheticFacts.evaluate(check, facts, Map.of());
        List<Finding> imbalance = findings(e, "REPLICA_IMBALANCE");
        Finding replicas = imbalance.stream().filter(f -> f.subject().equals("replicas")).findFirst().orElseThrow();
        assertThat(replicas.summary()).contains("broker 0 holds 6 replicas (", "below the mean 32.7",
                "clicks (40 on broker 1, 0 on broker 0)").doesNotContain("orders (");
        assertThat(replicas.evidence()).containsEntry("min_broker", 0).containsEntry("max_broker", 1);
        Finding leaders = imbalance.stream().filter(f -> f.subject().equals("leaders")).findFirst().orElseThrow();
        assertThat(leaders.summary()).contains("preferred leaders", "clicks (20 on broker 1, 0 on broker 0)");
    }

    @Test
    void aTinyClusterDoesNotAlarmOverAFewReplicasButNamesTheNarrowTopic() {
        List<BrokerFacts> brokers = List.of(new BrokerFacts(0, "b0", 9092, null, false),
                new BrokerFacts(1, "b1", 9092, null, false), new BrokerFacts(2, "b2", 9092, null, false));
        TopicFacts one = new TopicFacts("ledger", false, Map.of(),
                List.of(new PartitionFacts(0, 0, List.of(0), List.of(0))));
        Evaluation e = SyntheticFacts.evaluate(check, new TopicsFacts("c", brokers, true, null, Map.of(), List.of(one)), Map.of());
        assertThat(findings(e, "REPLICA_IMBALANCE")).isEmpty();
        Finding narrow = findings(e, "PARTITIONS_FEWER_THAN_BROKERS").get(0);
        assertThat(narrow.severity()).isEqualTo(Severity.INFO);
        assertThat(narrow.subject()).isEqualTo("ledger");
        assertThat(narrow.evidence()).containsEntry("partitions", 1).containsEntry("brokers", 3);
        // the floor is a parameter: at 0 the same layout is out of balance
        Evaluation strict = SyntheticFacts.evaluate(check, new TopicsFacts("c", brokers, true, null, Map.of(), List.of(one)),
                Map.of("imbalance-min-difference", "0"));
        assertThat(findings(strict, "REPLICA_IMBALANCE")).isNotEmpty();
    }

    @Test
    void replicasOnAFencedBrokerAreLeftToKafkaIsr() {
        Evaluation e = SyntheticFacts.evaluate(check, SyntheticFacts.cluster(3, 20, 6, Set.of(2)), Map.of());
        assertThat(findings(e, "REPLICA_IMBALANCE")).isEmpty();
        assertThat(e.metrics()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("brokers_live");
            assertThat(m.value()).isEqualTo(2.0);
        });
    }

    @Test
    void internalTopicsAreNeverCalledNarrow() {
        List<BrokerFacts> brokers = List.of(new BrokerFacts(0, "b0", 9092, null, false),
                new BrokerFacts(1, "b1", 9092, null, false));
        TopicFacts offsets = new TopicFacts("__consumer_offsets", true, Map.of(),
                List.of(new PartitionFacts(0, 0, List.of(0, 1), List.of(0, 1))));
        Evaluation e = SyntheticFacts.evaluate(check, new TopicsFacts("c", brokers, true, null, Map.of(), List.of(offsets)),
                Map.of());
        assertThat(findings(e, "PARTITIONS_FEWER_THAN_BROKERS")).isEmpty();
    }
}
