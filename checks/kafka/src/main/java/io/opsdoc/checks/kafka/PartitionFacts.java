package io.opsdoc.checks.kafka;

import java.util.List;

/**
 * One partition as {@code describeTopics} reports it.
 *
 * @param leader   broker id of the leader, or null when the partition has none (offline)
 * @param replicas assigned replicas, preferred leader first
 * @param isr      the in-sync replicas
 */
public record PartitionFacts(int partition, Integer leader, List<Integer> replicas, List<Integer> isr) {
    Integer preferred() {
        return replicas.isEmpty() ? null : replicas.get(0);
    }
}
