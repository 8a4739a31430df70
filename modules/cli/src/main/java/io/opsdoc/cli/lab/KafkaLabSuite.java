package io.opsdoc.cli.lab;

import io.opsdoc.core.Report;
import io.opsdoc.lab.kafka.KafkaClusterLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The Kafka checks against a real in-JVM KRaft cluster (1 controller, 3 brokers). */
final class KafkaLabSuite implements LabSuite {
    private KafkaClusterLab lab;

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String description() {
        return "a Kafka KRaft cluster in this JVM: 1 controller and 3 brokers, topics with RF 3 and min.insync.replicas 2 (~3 s)";
    }

    @Override
    public String start() {
        lab = KafkaClusterLab.start();
        return "brokers " + lab.bootstrapServers();
    }

    @Override
    public void heal() {
        lab.heal();
    }

    @Override
    public void close() {
        if (lab != null) {
            lab.close();
        }
    }

    @Override
    public List<LabScenario> scenarios() {
        return List.of(
                isr("kafka-healthy", "all brokers up, every partition fully in sync and led by its preferred replica", null,
                        () -> { }),
                isr("broker-down", "one broker is shut down: its replicas leave every ISR", "AT_MIN_ISR",
                        () -> lab.stopOneBroker()),
                isr("two-brokers-down", "two of three brokers are shut down: one replica left in sync", "UNDER_MIN_ISR",
                        () -> lab.stopTwoBrokers()),
                isr("offline-partition", "the only broker holding a single-replica partition is shut down",
                        "OFFLINE_PARTITION", () -> lab.offlinePartition()),
                isr("broker-decommissioned", "a broker was unregistered without moving its partitions away",
                        "RF_EXCEEDS_BROKERS", () -> lab.decommissionBrokerWithoutReassignment()),
                isr("leaders-moved", "a broker restarted and leads nothing: no preferred-leader election ran",
                        "NOT_PREFERRED_LEADER", () -> lab.leadersMovedAway()),
                isr("unclean-election", "unclean.leader.election.enable=true was set on a topic", "UNCLEAN_ELECTION_ENABLED",
                        () -> lab.uncleanElectionEnabled(KafkaClusterLab.PAYMENTS)),
                durability("kafka-durable", "healthy configuration: RF 3, min.insync.replicas 2, unclean election off",
                        null, () -> { }),
                durability("single-replica-topic", "a topic was created with replication factor 1", "REPLICATION_FACTOR_1",
                        () -> lab.singleReplicaTopic()),
                durability("min-isr-one", "min.insync.replicas=1 was set on an RF 3 topic", "MIN_ISR_1",
                        () -> lab.minInsyncReplicasOne(KafkaClusterLab.PAYMENTS)),
                durability("min-isr-equals-rf", "min.insync.replicas=3 was set on an RF 3 topic", "MIN_ISR_EQUALS_RF",
                        () -> lab.minInsyncReplicasEqualToReplicationFactor(KafkaClusterLab.ORDERS)),
                durability("offsets-one-replica", "__consumer_offsets was reassigned to a single replica per partition",
                        "INTERNAL_TOPIC_LOW_RF", () -> lab.consumerOffsetsOnOneReplica()),
                scenario("kafka-cluster", "kafka-cluster-healthy", "3 of 3 expected brokers live, metadata quorum caught up",
                        null, () -> { }, Map.of("expected-brokers", "3", "log-dir-usage-warning", "99.9%",
                                "log-dir-usage-critical", "100%")),
                scenario("kafka-cluster", "broker-missing", "one of the 3 expected brokers is shut down", "BROKER_MISSING",
                        () -> lab.stopOneBroker(), Map.of("expected-brokers", "3")),
                scenario("kafka-cluster", "quorum-lagging", "a stopped broker falls behind the metadata log (threshold 2 s)",
                        "QUORUM_LAGGING", () -> {
                            lab.stopOneBroker();
                            sleep(3_000);
                        }, Map.of("quorum-lag-warning", "2s")),
                scenario("kafka-cluster", "log-dir-filling", "the log dirs' real usage against a 0.1% threshold",
                        "LOG_DIR_FILLING", () -> { }, Map.of("log-dir-usage-warning", "0.1%")),
                lag("group-keeping-up", "a consumer group reads orders as fast as they are written", null,
                        () -> lab.caughtUpConsumerGroup(), KafkaClusterLab.GROUP_CAUGHT_UP),
                lag("group-stopped", "a group's consumers shut down, then 20 more orders were written", "STOPPED",
                        () -> lab.stoppedConsumerGroup(), KafkaClusterLab.GROUP_STOPPED),
                lag("group-stalled", "a group's consumer holds its partitions but commits nothing", "STALLED",
                        () -> lab.stalledConsumerGroup(), KafkaClusterLab.GROUP_STALLED),
                lag("group-lagging", "producers write 40 msg/s, the group processes 10 msg/s", "LAGGING",
                        () -> lab.slowConsumerGroup(), KafkaClusterLab.GROUP_SLOW),
                lag("group-rewound", "a group's committed offsets walk backwards", "REWIND",
                        () -> lab.rewindingConsumerGroup(), KafkaClusterLab.GROUP_REWINDING));
    }

    private LabScenario isr(String name, String description, String code, Runnable induce) {
        return scenario("kafka-isr", name, description, code, induce, Map.of());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LabScenario lag(String name, String description, String code, Runnable induce, String group) {
        return scenario("kafka-consumer-lag", name, description, code, induce, Map.of("window", "2s", "groups", group));
    }

    private LabScenario durability(String name, String description, String code, Runnable induce) {
        return scenario("kafka-durability-config", name, description, code, induce, Map.of());
    }

    private LabScenario scenario(String checkId, String name, String description, String code, Runnable induce,
            Map<String, String> params) {
        return new LabScenario(name, description, code, () -> {
            induce.run();
            return check(checkId, params);
        });
    }

    private Report check(String checkId, Map<String, String> params) {
        return LabRun.check(checkId, lab.uri(), params, null, Duration.ofSeconds(15));
    }
}
