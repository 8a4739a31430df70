package io.opsdoc.checks.kafka;

import java.util.List;
import java.util.Map;

/**
 * What {@code kafka-isr} and {@code kafka-durability-config} read from a cluster: its brokers, every topic
 * (internal ones included) with its partitions and durability configs, and the broker-wide defaults.
 *
 * @param fencedBrokersListed true when {@code brokers} includes fenced (registered but down) brokers; false
 *                            against brokers older than Kafka 4.0, which list live brokers only
 * @param brokerConfigs       durability-related configs of broker {@code brokerConfigsFrom}, as that broker
 *                            reports them
 */
public record TopicsFacts(String clusterId, List<BrokerFacts> brokers, boolean fencedBrokersListed,
        Integer brokerConfigsFrom, Map<String, String> brokerConfigs, List<TopicFacts> topics) {

    static final String MIN_ISR = "min.insync.replicas";
    static final String UNCLEAN = "unclean.leader.election.enable";
    static final List<String> TOPIC_CONFIGS = List.of(MIN_ISR, UNCLEAN);
    static final List<String> BROKER_CONFIGS = List.of("default.replication.factor", MIN_ISR, UNCLEAN,
            "offsets.topic.replication.factor", "transaction.state.log.replication.factor",
            "transaction.state.log.min.isr", "replica.lag.time.max.ms", "auto.leader.rebalance.enable");
}
