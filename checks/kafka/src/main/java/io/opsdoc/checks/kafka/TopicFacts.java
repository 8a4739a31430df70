package io.opsdoc.checks.kafka;

import java.util.List;
import java.util.Map;

/**
 * One topic: its partitions and the effective values of the configs that decide durability.
 *
 * @param configs effective {@code min.insync.replicas} and {@code unclean.leader.election.enable} (topic override,
 *                else the broker's value); empty when the configs could not be read
 */
public record TopicFacts(String name, boolean internal, Map<String, String> configs, List<PartitionFacts> partitions) {

    int replicationFactor() {
        return partitions.stream().mapToInt(p -> p.replicas().size()).max().orElse(0);
    }

    /** Effective min.insync.replicas; 1 (Kafka's default) when unknown. */
    int minInsyncReplicas() {
        return parseInt(configs.get(TopicsFacts.MIN_ISR), 1);
    }

    boolean uncleanElection() {
        return "true".equalsIgnoreCase(configs.get(TopicsFacts.UNCLEAN));
    }

    static int parseInt(String s, int otherwise) {
        if (s == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
