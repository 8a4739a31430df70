package io.opsdoc.checks.kafka;

import io.opsdoc.core.Check;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Facts of a cluster that the lab cannot hold (tens of thousands of partitions), built in memory. */
final class SyntheticFacts {
    private SyntheticFacts() {
    }

    /**
     * {@code brokers} brokers, {@code topics} topics of {@code partitions} partitions each, RF 3 placed round-robin,
     * min.insync.replicas 2; brokers in {@code down} are fenced, out of every ISR and lead nothing.
     */
    static TopicsFacts cluster(int brokers, int topics, int partitions, Set<Integer> down) {
        List<BrokerFacts> bs = new ArrayList<>();
        for (int b = 0; b < brokers; b++) {
            bs.add(new BrokerFacts(b, "b" + b + ".example", 9092, null, down.contains(b)));
        }
        List<TopicFacts> ts = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            List<PartitionFacts> ps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                int first = (t + p) % brokers;
                List<Integer> replicas = List.of(first, (first + 1) % brokers, (first + 2) % brokers);
                List<Integer> isr = replicas.stream().filter(r -> !down.contains(r)).toList();
                Integer leader = isr.isEmpty() ? null : isr.get(0);
                ps.add(new PartitionFacts(p, leader, replicas, isr));
            }
            ts.add(new TopicFacts(String.format("topic-%04d", t), false,
                    Map.of(TopicsFacts.MIN_ISR, "2", TopicsFacts.UNCLEAN, "false"), ps));
        }
        return new TopicsFacts("synthetic", bs, true, 0, Map.of(TopicsFacts.MIN_ISR, "2", TopicsFacts.UNCLEAN, "false"), ts);
    }

    static <F> Evaluation evaluate(Check<F> check, F facts, Map<String, String> params) {
        return Evaluation.of(check, "kafka://b0.example:9092", facts, Parameters.resolve(check.id(), check.parameters(), params));
    }

    /** Used by the class-loading test: evaluation alone must not touch the Kafka client. */
    static void evaluateAllChecksOnce() {
        evaluate(new KafkaIsr(), cluster(3, 2, 3, Set.of(2)), Map.of());
        evaluate(new KafkaDurabilityConfig(), cluster(3, 2, 3, Set.of(2)), Map.of());
        evaluate(new KafkaPartitionDistribution(), cluster(3, 2, 3, Set.of(2)), Map.of());
        evaluate(new KafkaConsumerLag(), new GroupsFacts(0, 1000, List.of(new GroupsFacts.GroupFacts("g", "Empty", 0,
                List.of(new GroupsFacts.PartitionOffsets("t", 0, 1L, 5L, 1L, 9L))))), Map.of());
        evaluate(new KafkaCluster(), new ClusterFacts("c", List.of(new BrokerFacts(1, "h", 9092, null, true)), true, null, null, null, List.of(), Map.of()), Map.of());
    }
}
