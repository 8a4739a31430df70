package io.opsdoc.lab.kafka;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.kafka.ConsumerGroupFaults.GROUP_CAUGHT_UP;
import static io.opsdoc.lab.kafka.ConsumerGroupFaults.GROUP_REWINDING;
import static io.opsdoc.lab.kafka.ConsumerGroupFaults.GROUP_SLOW;
import static io.opsdoc.lab.kafka.ConsumerGroupFaults.GROUP_STALLED;
import static io.opsdoc.lab.kafka.ConsumerGroupFaults.GROUP_STOPPED;
import static io.opsdoc.lab.kafka.KafkaClusterLab.FIRST_STOPPED;
import static io.opsdoc.lab.kafka.KafkaClusterLab.ORDERS;
import static io.opsdoc.lab.kafka.KafkaClusterLab.PAYMENTS;
import static io.opsdoc.lab.kafka.KafkaClusterLab.SINGLE_REPLICA_TOPIC;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;

/**
 * kafka-isr, kafka-durability-config, kafka-cluster, kafka-consumer-lag and kafka-partition-distribution against a real KRaft cluster of three
 * brokers (RF 3, min.insync.replicas 2): every code from a real fault, and none on the healthy cluster.
 *
 * <p>Broker faults stop the highest-numbered broker first, so on a healed lab the stopped broker is
 * {@value KafkaClusterLab#FIRST_STOPPED} and the second one below it; the expectations name them.
 */
public final class KafkaScenarios implements ScenarioSet<KafkaClusterLab> {
    private static final String ISR = "kafka-isr";
    private static final String DURABILITY = "kafka-durability-config";
    private static final String CLUSTER = "kafka-cluster";
    private static final String LAG = "kafka-consumer-lag";
    private static final String DISTRIBUTION = "kafka-partition-distribution";
    private static final String VICTIM = "broker " + FIRST_STOPPED;
    private static final String SECOND_VICTIM = "broker " + (FIRST_STOPPED - 1);
    /** Disk thresholds far above what a build machine uses, so that only the rule under test can fire. */
    private static final String ROOMY = "99.9%";

    @Override
    public String system() {
        return "kafka";
    }

    @Override
    public String description() {
        return "a Kafka KRaft cluster in this JVM: 1 controller and 3 brokers, topics with RF 3 and min.insync.replicas 2 "
                + "(~3 s)";
    }

    @Override
    public List<LabVariant<KafkaClusterLab>> variants() {
        return List.of(LabVariant.only(KafkaClusterLab::start, KafkaClusterLab::shared));
    }

    @Override
    public List<Scenario<KafkaClusterLab>> scenarios() {
        return List.of(
                // kafka-isr: the state of every partition's replicas
                scenario("kafka-healthy", "all brokers up, every partition fully in sync and led by its preferred replica",
                        ISR).healthy().metrics("brokers_live", "partitions", "under_replicated_partitions").build(),
                scenario("broker-down", "one broker is shut down: its replicas leave every ISR", ISR, CLUSTER)
                        .param("expected-brokers", "3").param("log-dir-usage-warning", ROOMY)
                        .param("log-dir-usage-critical", "100%")
                        .breaks(KafkaClusterLab::stopOneBroker)
                        .expect(code(ISR, "AT_MIN_ISR").severity(CRITICAL).says("orders ("))
                        .expect(code(ISR, "UNDER_REPLICATED").severity(WARNING).says(VICTIM, "the common factor"))
                        .expect(code(ISR, "REPLICA_ON_DEAD_BROKER").severity(WARNING).evidence("broker", FIRST_STOPPED)
                                .evidence("registered", true).evidence("fenced", true))
                        .expect(code(CLUSTER, "BROKER_MISSING").severity(CRITICAL)
                                .says("2 of 3 expected brokers are live", FIRST_STOPPED + " ("))
                        // a broker stopped seconds ago is far from the default 30 s of metadata lag
                        .absent("UNDER_MIN_ISR", "OFFLINE_PARTITION", "RF_EXCEEDS_BROKERS", "QUORUM_LAGGING").build(),
                scenario("two-brokers-down", "two of three brokers are shut down: one replica left in sync", ISR)
                        .breaks(KafkaClusterLab::stopTwoBrokers)
                        .expect(code("UNDER_MIN_ISR").severity(CRITICAL).says(VICTIM, SECOND_VICTIM))
                        .expect("UNDER_REPLICATED").absent("AT_MIN_ISR").build(),
                scenario("offline-partition", "the only broker holding a single-replica partition is shut down", ISR)
                        .breaks(KafkaClusterLab::offlinePartition)
                        .expect(code("OFFLINE_PARTITION").severity(CRITICAL).evidence("partitions", 1)
                                .says(SINGLE_REPLICA_TOPIC, VICTIM)).build(),
                scenario("broker-decommissioned", "a broker was unregistered without moving its partitions away", ISR)
                        .breaks(KafkaClusterLab::decommissionBrokerWithoutReassignment)
                        .expect(code("RF_EXCEEDS_BROKERS").severity(CRITICAL).evidence("registered_brokers", 2)
                                .says("orders (RF 3)"))
                        .expect(code("REPLICA_ON_DEAD_BROKER").severity(CRITICAL).evidence("registered", false)
                                .says(VICTIM, "never return")).build(),
                // kafka-partition-distribution judges the assignment, which a failover does not change: leaders away
                // from their preferred replicas are kafka-isr's finding alone
                scenario("leaders-moved", "a broker restarted and leads nothing: no preferred-leader election ran", ISR,
                        DISTRIBUTION)
                        .breaks(KafkaClusterLab::leadersMovedAway)
                        .expect(code(ISR, "NOT_PREFERRED_LEADER").severity(WARNING).says("could move back now"))
                        .absent("UNDER_REPLICATED", "AT_MIN_ISR", "REPLICA_ON_DEAD_BROKER", "REPLICA_IMBALANCE").build(),
                scenario("unclean-election", "unclean.leader.election.enable=true was set on a topic", ISR, DURABILITY)
                        .breaks(lab -> lab.topics().uncleanElectionEnabled(PAYMENTS))
                        .expect(code(ISR, "UNCLEAN_ELECTION_ENABLED").severity(WARNING).evidence("worst_topics", PAYMENTS)
                                .evidence("broker_default", "false"))
                        .expect(code(DURABILITY, "UNCLEAN_ELECTION_ENABLED").severity(WARNING)
                                .evidence("worst_topics", PAYMENTS))
                        .absent("UNDER_REPLICATED", "NOT_PREFERRED_LEADER", "MIN_ISR_1", "REPLICATION_FACTOR_1").build(),

                // kafka-durability-config: what one broker failure would cost
                scenario("kafka-durable", "healthy configuration: RF 3, min.insync.replicas 2, unclean election off",
                        DURABILITY).healthy().metrics("topics", "topics_replication_factor_1").build(),
                scenario("single-replica-topic", "a topic was created with replication factor 1", DURABILITY)
                        .breaks(lab -> lab.topics().singleReplicaTopic())
                        .expect(code("REPLICATION_FACTOR_1").severity(WARNING).evidence("topics", 1)
                                .evidence("worst_topics", SINGLE_REPLICA_TOPIC))
                        .absent("MIN_ISR_1", "MIN_ISR_EQUALS_RF", "UNCLEAN_ELECTION_ENABLED", "INTERNAL_TOPIC_LOW_RF").build(),
                scenario("min-isr-one", "min.insync.replicas=1 was set on an RF 3 topic", DURABILITY)
                        .breaks(lab -> lab.topics().minInsyncReplicasOne(PAYMENTS))
                        .expect(code("MIN_ISR_1").severity(WARNING).evidence("broker_default", "2")
                                .says(PAYMENTS + " (RF 3, min.insync.replicas 1)")).build(),
                scenario("min-isr-equals-rf", "min.insync.replicas=3 was set on an RF 3 topic", DURABILITY)
                        .breaks(lab -> lab.topics().minInsyncReplicasEqualToReplicationFactor(ORDERS))
                        .expect(code("MIN_ISR_EQUALS_RF").severity(WARNING)
                                .says(ORDERS + " (RF 3, min.insync.replicas 3)")).build(),
                scenario("offsets-one-replica", "__consumer_offsets was reassigned to a single replica per partition",
                        DURABILITY)
                        .breaks(lab -> lab.topics().consumerOffsetsOnOneReplica())
                        .expect(code("INTERNAL_TOPIC_LOW_RF").severity(CRITICAL).says("__consumer_offsets (RF 1)")
                                .evidence("offsets.topic.replication.factor", "3")).build(),

                // kafka-cluster: brokers, the KRaft metadata quorum, log dirs
                scenario("kafka-cluster-healthy", "3 of 3 expected brokers live, metadata quorum caught up", CLUSTER)
                        .param("expected-brokers", "3").param("log-dir-usage-warning", ROOMY)
                        .param("log-dir-usage-critical", "100%").healthy()
                        .metrics("brokers_live", "quorum_voters", "log_dir_used_percent").build(),
                scenario("quorum-lagging", "a stopped broker falls behind the metadata log (threshold 2 s)", CLUSTER)
                        .param("quorum-lag-warning", "2s").param("log-dir-usage-warning", ROOMY)
                        .param("log-dir-usage-critical", "100%")
                        .breaks(lab -> lab.brokerBehindMetadataQuorum(Duration.ofSeconds(3)))
                        .expect(code("QUORUM_LAGGING").severity(WARNING).says("observer " + FIRST_STOPPED + " ("))
                        // without expected-brokers, a fenced registered broker is what tells one is missing
                        .expect(code("BROKER_MISSING").severity(WARNING).says("are fenced: " + FIRST_STOPPED + " ("))
                        .build(),
                scenario("log-dir-filling", "the log dirs' real usage against a 0.1% threshold", CLUSTER)
                        .param("log-dir-usage-warning", "0.1%").param("log-dir-usage-critical", "100%")
                        .expect(code("LOG_DIR_FILLING").severity(WARNING).positive("total_bytes").says("on broker "))
                        .absent("BROKER_MISSING", "QUORUM_LAGGING").build(),

                // kafka-partition-distribution: how the assignment spreads replicas and leaders over the brokers
                scenario("distribution-even", "a topic of 12 partitions, RF 2, placed by Kafka's default assignment, "
                        + "beside the RF 3 topics", DISTRIBUTION)
                        .breaks(lab -> lab.topics().defaultAssignedTopic()).healthy()
                        .metrics("replicas_per_broker_max", "preferred_leaders_per_broker_min")
                        .absent("REPLICA_IMBALANCE", "PARTITIONS_FEWER_THAN_BROKERS").build(),
                scenario("replicas-piled-on-two-brokers", "a topic of " + TopicFaults.PILED_PARTITIONS + " partitions "
                        + "was created with a hand-written assignment that puts every replica on brokers 1 and 2",
                        DISTRIBUTION)
                        .breaks(lab -> lab.topics().piledOnTwoBrokers())
                        .expect(code("REPLICA_IMBALANCE").severity(WARNING).evidence("min_broker", 0)
                                .says("replicas are spread unevenly", "broker 0 holds", TopicFaults.PILED_TOPIC + " ("))
                        .expect(code("REPLICA_IMBALANCE").severity(WARNING).evidence("min_broker", 0)
                                .says("preferred leaders are spread unevenly", TopicFaults.PILED_TOPIC + " ("))
                        .absent("PARTITIONS_FEWER_THAN_BROKERS").build(),
                scenario("broker-holds-nothing", "the same hand-placed topic, checked alone (topics=clicks): broker 0 "
                        + "holds none of its replicas, like a broker added after the topics were created", DISTRIBUTION)
                        .param("topics", TopicFaults.PILED_TOPIC)
                        .breaks(lab -> lab.topics().piledOnTwoBrokers())
                        .expect(code("REPLICA_IMBALANCE").severity(WARNING).evidence("min_broker", 0).evidence("min", 0)
                                .says("broker 0 holds no replicas at all")).build(),
                scenario("single-partition-topic", "a topic was created with 1 partition on the 3-broker cluster",
                        DISTRIBUTION)
                        .breaks(lab -> lab.topics().singlePartitionTopic())
                        .expect(code("PARTITIONS_FEWER_THAN_BROKERS").severity(INFO)
                                .evidence("topic", TopicFaults.SINGLE_PARTITION_TOPIC).evidence("partitions", 1)
                                .evidence("brokers", 3).says("at most 1 consumer"))
                        .absent("REPLICA_IMBALANCE").build(),

                // kafka-consumer-lag: two samples 2 s apart, a real group misbehaving between them
                group("group-keeping-up", "a consumer group reads orders as fast as they are written", GROUP_CAUGHT_UP)
                        .breaks(lab -> lab.groups().caughtUp()).healthy().metrics("lag_messages").build(),
                group("group-stopped", "a group's consumers shut down, then 20 more orders were written", GROUP_STOPPED)
                        .breaks(lab -> lab.groups().stopped())
                        .expect(code("STOPPED").severity(WARNING).evidence("members", 0).evidence("lag_after", 20)
                                .evidence("state", "Empty").says(GROUP_STOPPED))
                        .absent("STALLED", "LAGGING", "REWIND").build(),
                group("group-stalled", "a group's consumer holds its partitions but commits nothing", GROUP_STALLED)
                        .breaks(lab -> lab.groups().stalled())
                        .expect(code("STALLED").severity(CRITICAL).evidence("members", 1).evidence("lag_after", 20))
                        .absent("STOPPED", "LAGGING", "REWIND").build(),
                group("group-lagging", "producers write 40 msg/s, the group processes 10 msg/s", GROUP_SLOW)
                        .breaks(lab -> lab.groups().slow())
                        .expect(code("LAGGING").severity(WARNING).positive("committed_per_s").positive("produced_per_s")
                                .says("lag grew from"))
                        .absent("STALLED", "STOPPED").build(),
                group("group-rewound", "a group's committed offsets walk backwards", GROUP_REWINDING)
                        .breaks(lab -> lab.groups().rewinding())
                        .expect(code("REWIND").severity(WARNING).says("messages back", "consumed again"))
                        .absent("STALLED").build(),
                Scenario.<KafkaClusterLab>of("lag-window-over-timeout",
                                "a 20 s sampling window asked of a check given 3 s: the window shrinks to fit, and a "
                                        + "window that short decides no STALLED")
                        .checks(LAG).target(KafkaClusterLab::uri).param("window", "20s").timeout(Duration.ofSeconds(3))
                        .breaks(lab -> lab.groups().caughtUp()).healthy()
                        .absent("PROBE_FAILED", "TIMEOUT", "STALLED").build());
    }

    /** Checks on the lab's brokers, each with 15 s: an admin call during a broker restart may wait for metadata. */
    private static Scenario.Builder<KafkaClusterLab> scenario(String id, String story, String... checks) {
        return Scenario.<KafkaClusterLab>of(id, story).checks(checks).target(KafkaClusterLab::uri)
                .timeout(Duration.ofSeconds(15));
    }

    /** kafka-consumer-lag on one group, two samples 2 s apart. */
    private static Scenario.Builder<KafkaClusterLab> group(String id, String story, String group) {
        return scenario(id, story, LAG).param("window", "2s").param("groups", group);
    }
}
