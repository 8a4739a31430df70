package io.opsdoc.checks.kafka;

import java.util.List;

/**
 * Two samples of every consumer group's committed offsets and of the log-end offsets of the partitions they
 * consume, {@code windowMillis} apart, plus each group's state and member count at the second sample.
 *
 * @param firstSampleAt  epoch milliseconds of the first sample (this host's clock)
 * @param secondSampleAt epoch milliseconds of the second sample
 */
public record GroupsFacts(long firstSampleAt, long secondSampleAt, List<GroupFacts> groups) {

    /** One consumer group. {@code state} is Kafka's group state (Stable, Empty, PreparingRebalance, ...). */
    public record GroupFacts(String group, String state, int members, List<PartitionOffsets> partitions) {
    }

    /**
     * One partition a group has committed an offset for; null where a sample could not read a value.
     *
     * @param committed1 committed offset at the first sample
     * @param end1       log-end offset at the first sample
     */
    public record PartitionOffsets(String topic, int partition, Long committed1, Long end1, Long committed2, Long end2) {
        Long lag1() {
            return committed1 == null || end1 == null ? null : Math.max(0, end1 - committed1);
        }

        Long lag2() {
            return committed2 == null || end2 == null ? null : Math.max(0, end2 - committed2);
        }
    }
}
