package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckCode;

/** The finding codes of kafka-partition-distribution, each a section of the note kafka/partition-distribution. */
enum DistributionCode implements CheckCode {
    REPLICA_IMBALANCE("replicas or preferred leaders spread unevenly over the live brokers"),
    PARTITIONS_FEWER_THAN_BROKERS("a topic has fewer partitions than the cluster has brokers");

    private final String title;

    DistributionCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return KafkaPartitionDistribution.NOTE;
    }
}
