package io.opsdoc.lab.kafka;

import static io.opsdoc.lab.kafka.LabAdmin.await;
import static io.opsdoc.lab.kafka.LabAdmin.get;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Faults in how topics are laid out and configured: an extra topic with one replica, topic configs that weaken
 * durability, {@code __consumer_offsets} shrunk to one replica. Each remembers what it changed, so that
 * {@link #heal()} deletes the topics it created, puts back the replicas it moved and the config values it replaced.
 */
public final class TopicFaults {
    /** Created by {@link #singleReplicaTopic()} and by the lab's offline-partition fault; deleted by heal(). */
    public static final String SINGLE_REPLICA_TOPIC = "audit-rf1";

    /** Created by {@link #piledOnTwoBrokers()}: every replica on brokers 1 and 2, none on broker 0. */
    public static final String PILED_TOPIC = "clicks";
    public static final int PILED_PARTITIONS = 40;
    /** Created by {@link #singlePartitionTopic()}. */
    public static final String SINGLE_PARTITION_TOPIC = "ledger";
    /** Created by {@link #defaultAssignedTopic()}: Kafka places its replicas. */
    public static final String DEFAULT_ASSIGNED_TOPIC = "events";

    private final LabAdmin lab;
    private final Admin admin;
    private final Set<String> created = new TreeSet<>();
    private final Map<String, Map<String, String>> replacedConfigs = new HashMap<>();
    private final Map<TopicPartition, List<Integer>> movedReplicas = new HashMap<>();

    /** Whether every running broker's own metadata cache has (true) or no longer has (false) a topic. */
    interface BrokerMetadata {
        boolean everyRunningBroker(String topic, boolean known);
    }

    private final BrokerMetadata brokers;

    TopicFaults(LabAdmin lab, BrokerMetadata brokers) {
        this.lab = lab;
        this.admin = lab.client();
        this.brokers = brokers;
    }

    /**
     * A topic with one replica ({@value #SINGLE_REPLICA_TOPIC}, 3 partitions): any broker loss takes part of it
     * offline, and any disk loss loses data.
     */
    public synchronized void singleReplicaTopic() {
        create(new NewTopic(SINGLE_REPLICA_TOPIC, 3, (short) 1));
    }

    /**
     * A topic of {@value #PILED_PARTITIONS} partitions, RF 2, created with a hand-written assignment that alternates
     * [1, 2] and [2, 1]: brokers 1 and 2 hold 40 more replicas and 20 more preferred leaderships each than broker 0,
     * as when an assignment is written for the brokers that existed before broker 0 was added.
     */
    public synchronized void piledOnTwoBrokers() {
        Map<Integer, List<Integer>> assignment = new LinkedHashMap<>();
        for (int i = 0; i < PILED_PARTITIONS; i++) {
            assignment.put(i, i % 2 == 0 ? List.of(1, 2) : List.of(2, 1));
        }
        create(new NewTopic(PILED_TOPIC, assignment));
    }

    /** A topic with one partition (RF 3) on the 3-broker cluster: one broker leads all its traffic. */
    public synchronized void singlePartitionTopic() {
        create(new NewTopic(SINGLE_PARTITION_TOPIC, 1, (short) 3));
    }

    /** A topic of 12 partitions, RF 2, placed by Kafka itself: the healthy counterpart of the piled-up one. */
    public synchronized void defaultAssignedTopic() {
        create(new NewTopic(DEFAULT_ASSIGNED_TOPIC, 12, (short) 2));
    }

    /** Sets {@code unclean.leader.election.enable=true} on the topic: an out-of-sync replica may become leader. */
    public synchronized void uncleanElectionEnabled(String topic) {
        setConfig(topic, "unclean.leader.election.enable", "true");
    }

    /** Sets {@code min.insync.replicas=1} on an RF 3 topic: acks=all then waits for the leader alone. */
    public synchronized void minInsyncReplicasOne(String topic) {
        setConfig(topic, "min.insync.replicas", "1");
    }

    /** Sets {@code min.insync.replicas} to the topic's replication factor (3): any one broker loss stops acks=all writes. */
    public synchronized void minInsyncReplicasEqualToReplicationFactor(String topic) {
        setConfig(topic, "min.insync.replicas", "3");
    }

    /**
     * Reassigns every partition of {@code __consumer_offsets} to a single replica (its current leader), as if the
     * topic had been created while the cluster had one broker: consumer group offsets then live on one broker.
     */
    public synchronized void consumerOffsetsOnOneReplica() {
        lab.ensureConsumerOffsetsTopic();
        TopicDescription offsets = lab.describeAll().get(KafkaClusterLab.CONSUMER_OFFSETS);
        if (offsets == null) {
            throw new IllegalStateException(KafkaClusterLab.CONSUMER_OFFSETS + " does not exist");
        }
        Map<TopicPartition, Optional<NewPartitionReassignment>> moves = new HashMap<>();
        for (TopicPartitionInfo p : offsets.partitions()) {
            TopicPartition tp = new TopicPartition(KafkaClusterLab.CONSUMER_OFFSETS, p.partition());
            movedReplicas.putIfAbsent(tp, p.replicas().stream().map(Node::id).toList());
            moves.put(tp, Optional.of(new NewPartitionReassignment(List.of(p.leader().id()))));
        }
        get(admin.alterPartitionReassignments(moves).all(), "shrink " + KafkaClusterLab.CONSUMER_OFFSETS);
        await(KafkaClusterLab.CONSUMER_OFFSETS + " on one replica per partition",
                () -> lab.partitions(KafkaClusterLab.CONSUMER_OFFSETS).stream().allMatch(p -> p.replicas().size() == 1));
    }

    /** Creates a topic that heal() deletes, and waits until each of its partitions has a leader. */
    synchronized void create(NewTopic topic) {
        created.add(topic.name());
        get(admin.createTopics(List.of(topic)).all(), "create topic " + topic.name());
        await("topic " + topic.name() + " has leaders", () -> {
            TopicDescription d = lab.describeAll().get(topic.name());
            return d != null && d.partitions().stream().allMatch(p -> p.leader() != null);
        });
        // brokers learn metadata asynchronously: a check that lists topics through a broker still behind would not
        // see the topic yet, so the fault shows only once every running broker has it
        await("every running broker knows topic " + topic.name(), () -> brokers.everyRunningBroker(topic.name(), true));
    }

    private void setConfig(String topic, String key, String value) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String previous = get(admin.describeConfigs(List.of(r)).all(), "describe " + topic).get(r).entries().stream()
                .filter(e -> e.name().equals(key) && e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                .map(ConfigEntry::value).findFirst().orElse(null);
        replacedConfigs.computeIfAbsent(topic, t -> new LinkedHashMap<>()).putIfAbsent(key, previous);
        get(admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(new ConfigEntry(key, value),
                AlterConfigOp.OpType.SET)))).all(), "set " + key + "=" + value + " on " + topic);
        await(key + "=" + value + " on " + topic, () -> get(admin.describeConfigs(List.of(r)).all(), "describe " + topic)
                .get(r).get(key).value().equals(value));
    }

    /** Deletes the topics the faults created, moves replicas back, and restores the topic configs they replaced. */
    synchronized void heal() {
        if (!created.isEmpty()) {
            get(admin.deleteTopics(created).all(), "delete fault topics");
            Set<String> gone = Set.copyOf(created);
            created.clear();
            await("fault topics deleted", () -> lab.describeAll().keySet().stream().noneMatch(gone::contains));
            // and forgotten by every broker, else the next check may list a deleted topic through a lagging one
            await("fault topics forgotten by every running broker",
                    () -> gone.stream().allMatch(t -> brokers.everyRunningBroker(t, false)));
        }
        if (!movedReplicas.isEmpty()) {
            Map<TopicPartition, Optional<NewPartitionReassignment>> back = new HashMap<>();
            movedReplicas.forEach((tp, replicas) -> back.put(tp, Optional.of(new NewPartitionReassignment(replicas))));
            get(admin.alterPartitionReassignments(back).all(), "restore replica assignments");
            Map<TopicPartition, List<Integer>> expected = Map.copyOf(movedReplicas);
            movedReplicas.clear();
            await("replica assignments restored", () -> expected.entrySet().stream().allMatch(e ->
                    lab.partitions(e.getKey().topic()).get(e.getKey().partition()).replicas().stream().map(Node::id)
                            .toList().equals(e.getValue())));
        }
        if (!replacedConfigs.isEmpty()) {
            Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
            replacedConfigs.forEach((topic, keys) -> ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    keys.entrySet().stream().map(e -> e.getValue() == null
                            ? new AlterConfigOp(new ConfigEntry(e.getKey(), ""), AlterConfigOp.OpType.DELETE)
                            : new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                            .toList()));
            get(admin.incrementalAlterConfigs(ops).all(), "restore topic configs");
            replacedConfigs.clear();
        }
    }
}
