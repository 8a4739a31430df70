package io.opsdoc.lab.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft cluster in this JVM: one controller and three brokers on loopback ({@link KafkaClusterTestKit},
 * separate controller, because combined controller+broker nodes block 300 s on broker shutdown), plus named fault
 * injectors.
 *
 * <p>Every injector leaves its fault in place and returns once the cluster's metadata shows it; {@link #heal()}
 * undoes any of them. The lab knows nothing about the checks that are run against it.
 */
public final class KafkaClusterLab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaClusterLab.class);

    public static final int BROKERS = 3;
    /** Healthy topics: replication factor 3, min.insync.replicas 2, the production recommendation. */
    public static final String ORDERS = "orders";
    public static final String PAYMENTS = "payments";
    public static final int ORDERS_PARTITIONS = 6;
    public static final int PAYMENTS_PARTITIONS = 3;
    /** Created by {@link #singleReplicaTopic()}, deleted by heal(). */
    public static final String SINGLE_REPLICA_TOPIC = "audit-rf1";
    public static final String CONSUMER_OFFSETS = "__consumer_offsets";

    private static final Duration FAULT_DEADLINE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);
    private static KafkaClusterLab shared;

    private final KafkaClusterTestKit cluster;
    private final Admin admin;
    private final Set<Integer> stopped = new TreeSet<>();
    private final Set<Integer> unregistered = new TreeSet<>();
    private final Set<String> faultTopics = new TreeSet<>();
    private final Map<String, Map<String, String>> topicConfigOverrides = new HashMap<>();
    private final Map<TopicPartition, List<Integer>> originalAssignments = new HashMap<>();
    private final Set<String> labGroups = new TreeSet<>();
    private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closeFinished = new CountDownLatch(1);
    private final String bootstrap;
    private final Path baseDir;

    private KafkaClusterLab(KafkaClusterTestKit cluster, Path baseDir) {
        this.cluster = cluster;
        this.baseDir = baseDir;
        this.bootstrap = cluster.bootstrapServers();
        Map<String, Object> conf = new HashMap<>();
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "opsdoc-lab");
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        this.admin = Admin.create(conf);
    }

    /** Starts the cluster with the healthy lab topics; stop it with {@link #close()}. */
    public static KafkaClusterLab start() {
        long t0 = System.nanoTime();
        KafkaClusterTestKit kit = null;
        Path baseDir;
        try {
            // our own directory: the test kit's default one is deleted by a JVM shutdown hook of its own, which races
            // the brokers still writing there at exit; they then see every log dir fail and halt the JVM
            baseDir = Files.createTempDirectory("opsdoc-kafka-lab-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka lab directory", e);
        }
        neverHaltTheJvm();
        // the test kit prints "Bootstrap metadata" and "Formatting" lines on stdout: keep the CLI's output clean
        PrintStream stdout = System.out;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(false)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(BROKERS)
                    .setBaseDirectory(baseDir)
                    .build();
            kit = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", "3")
                    .setConfigProp("offsets.topic.num.partitions", "5")
                    .setConfigProp("transaction.state.log.replication.factor", "3")
                    .setConfigProp("transaction.state.log.min.isr", "2")
                    .setConfigProp("min.insync.replicas", "2")
                    // leaders stay where a fault moved them until heal() elects the preferred ones
                    .setConfigProp("auto.leader.rebalance.enable", "false")
                    // a restarted broker cannot register until the controller expires its previous session
                    // (default 9 s): shorter sessions make a restart take ~4 s instead of ~10 s
                    .setConfigProp("broker.session.timeout.ms", "4000")
                    .setConfigProp("broker.heartbeat.interval.ms", "500")
                    .build();
            System.setOut(new PrintStream(PrintStream.nullOutputStream()));
            try {
                kit.format();
                kit.startup();
                kit.waitForReadyBrokers();
            } finally {
                System.setOut(stdout);
            }
            KafkaClusterLab lab = new KafkaClusterLab(kit, baseDir);
            try {
                lab.createHealthyTopics();
                lab.awaitHealthy();
            } catch (RuntimeException e) {
                lab.close();
                throw e;
            }
            log.info("Kafka lab up in {} ms: brokers {}", (System.nanoTime() - t0) / 1_000_000, lab.bootstrap);
            return lab;
        } catch (RuntimeException e) {
            closeQuietly(kit);
            deleteRecursively(baseDir);
            throw e;
        } catch (Exception e) {
            closeQuietly(kit);
            deleteRecursively(baseDir);
            throw new IllegalStateException("cannot start the Kafka lab cluster", e);
        }
    }

    /**
     * A broker that loses all its log dirs calls Kafka's Exit.halt, which would end the test JVM or `opsdoc lab`
     * with it. In the lab a broker's fatal error is logged instead; heal() or close() deals with the broker.
     */
    private static void neverHaltTheJvm() {
        Exit.setHaltProcedure((code, message) -> log.error("a lab broker asked to halt the JVM ({}): {}", code, message));
        Exit.setExitProcedure((code, message) -> log.error("a lab broker asked to exit the JVM ({}): {}", code, message));
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.debug("could not delete {}", path, e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete the Kafka lab dir {}", dir, e);
        }
    }

    /** One lab per JVM, started on first use and stopped at JVM exit. Call {@link #heal()} before use. */
    public static synchronized KafkaClusterLab shared() {
        if (shared == null || shared.closed.get()) {
            KafkaClusterLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-kafka-lab-shutdown"));
            shared = lab;
        }
        return shared;
    }

    private void createHealthyTopics() {
        Map<String, String> durable = Map.of("min.insync.replicas", "2");
        get(admin.createTopics(List.of(
                new NewTopic(ORDERS, ORDERS_PARTITIONS, (short) 3).configs(durable),
                new NewTopic(PAYMENTS, PAYMENTS_PARTITIONS, (short) 3).configs(durable))).all(), "create the lab topics");
        produce(ORDERS, 60);
        produce(PAYMENTS, 30);
    }

    // ---------------------------------------------------------------------------------------------
    // Coordinates

    /** {@code host:port,host:port,host:port} of all brokers, as a client's bootstrap.servers. */
    public String bootstrapServers() {
        return bootstrap;
    }

    /** {@code kafka://host:port,host:port,host:port}. */
    public String uri() {
        return "kafka://" + bootstrap;
    }

    /** Broker ids, ascending. */
    public List<Integer> brokerIds() {
        return List.copyOf(new TreeSet<>(cluster.brokers().keySet()));
    }

    public Set<Integer> stoppedBrokers() {
        return Set.copyOf(stopped);
    }

    /** An admin client of the lab's own (not least-privilege; for tests that set up or inspect state). */
    public Admin admin() {
        return admin;
    }

    // ---------------------------------------------------------------------------------------------
    // Fault injectors

    /**
     * Shuts one broker down (a controlled shutdown, like {@code kafka-server-stop.sh}): its replicas leave every
     * ISR, partitions it led move to another broker, RF 3 topics with min.insync.replicas 2 are then exactly at
     * their minimum. Returns the id of the stopped broker.
     */
    public synchronized int stopOneBroker() {
        int victim = lastRunningBroker();
        stopBroker(victim);
        return victim;
    }

    /** Shuts two brokers down: RF 3 topics keep one in-sync replica, under min.insync.replicas 2. */
    public synchronized List<Integer> stopTwoBrokers() {
        List<Integer> ids = new ArrayList<>();
        ids.add(stopOneBroker());
        ids.add(stopOneBroker());
        return ids;
    }

    /** Shuts a broker down, in a controlled way, and waits until no ISR lists it any more. */
    public synchronized void stopBroker(int id) {
        ensureOpen();
        BrokerServer broker = broker(id);
        if (stopped.contains(id)) {
            return;
        }
        long t0 = System.nanoTime();
        broker.shutdown();
        broker.awaitShutdown();
        stopped.add(id);
        log.info("broker {} stopped in {} ms", id, (System.nanoTime() - t0) / 1_000_000);
        await("broker " + id + " fenced and out of every ISR", () -> !liveBrokers().contains(id)
                && describeAll().values().stream().flatMap(d -> d.partitions().stream())
                        .noneMatch(p -> p.isr().stream().anyMatch(n -> n.id() == id)));
    }

    /**
     * A topic with one replica ({@value #SINGLE_REPLICA_TOPIC}, 3 partitions): any broker loss takes part of it
     * offline, and any disk loss loses data.
     */
    public synchronized void singleReplicaTopic() {
        ensureOpen();
        createFaultTopic(new NewTopic(SINGLE_REPLICA_TOPIC, 3, (short) 1));
    }

    /**
     * A single-replica topic whose only replica lives on a broker that is then shut down: its partition has no
     * leader (offline). Returns the stopped broker.
     */
    public synchronized int offlinePartition() {
        ensureOpen();
        int victim = lastRunningBroker();
        createFaultTopic(new NewTopic(SINGLE_REPLICA_TOPIC, Map.of(0, List.of(victim))));
        stopBroker(victim);
        await(SINGLE_REPLICA_TOPIC + "-0 without a leader", () -> {
            TopicDescription d = describeAll().get(SINGLE_REPLICA_TOPIC);
            return d != null && d.partitions().get(0).leader() == null;
        });
        return victim;
    }

    /** Sets {@code unclean.leader.election.enable=true} on the topic: an out-of-sync replica may become leader. */
    public synchronized void uncleanElectionEnabled(String topic) {
        setTopicConfig(topic, "unclean.leader.election.enable", "true");
    }

    /** Sets {@code min.insync.replicas=1} on an RF 3 topic: acks=all then waits for the leader alone. */
    public synchronized void minInsyncReplicasOne(String topic) {
        setTopicConfig(topic, "min.insync.replicas", "1");
    }

    /** Sets {@code min.insync.replicas} to the topic's replication factor (3): any one broker loss stops acks=all writes. */
    public synchronized void minInsyncReplicasEqualToReplicationFactor(String topic) {
        setTopicConfig(topic, "min.insync.replicas", "3");
    }

    /**
     * Reassigns every partition of {@code __consumer_offsets} to a single replica (its current leader), as if the
     * topic had been created while the cluster had one broker: consumer group offsets then live on one broker.
     * heal() reassigns the original replicas back.
     */
    public synchronized void consumerOffsetsOnOneReplica() {
        ensureOpen();
        ensureConsumerOffsetsTopic();
        Map<String, TopicDescription> all = describeAll();
        TopicDescription offsets = all.get(CONSUMER_OFFSETS);
        if (offsets == null) {
            throw new IllegalStateException(CONSUMER_OFFSETS + " does not exist");
        }
        Map<TopicPartition, Optional<NewPartitionReassignment>> moves = new HashMap<>();
        for (TopicPartitionInfo p : offsets.partitions()) {
            TopicPartition tp = new TopicPartition(CONSUMER_OFFSETS, p.partition());
            originalAssignments.putIfAbsent(tp, p.replicas().stream().map(Node::id).toList());
            moves.put(tp, Optional.of(new NewPartitionReassignment(List.of(p.leader().id()))));
        }
        get(admin.alterPartitionReassignments(moves).all(), "shrink " + CONSUMER_OFFSETS);
        await(CONSUMER_OFFSETS + " on one replica per partition", () -> partitions(CONSUMER_OFFSETS).stream()
                .allMatch(p -> p.replicas().size() == 1));
    }

    /**
     * Stops a broker and starts it again without a preferred-leader election (auto.leader.rebalance.enable is
     * off in the lab): it rejoins every ISR but leads nothing, so the partitions it should lead are led elsewhere.
     * Returns the restarted broker.
     */
    public synchronized int leadersMovedAway() {
        int victim = lastRunningBroker();
        stopBroker(victim);
        restartBroker(victim);
        await("broker " + victim + " back in every ISR", this::allInSync);
        return victim;
    }

    /**
     * A broker removed for good without moving its partitions first: shut down, then unregistered from the
     * cluster metadata ({@code kafka-cluster.sh unregister}). Its replicas still name it, so RF 3 topics now have
     * more replicas than the cluster has brokers. Returns its id.
     */
    public synchronized int decommissionBrokerWithoutReassignment() {
        int victim = lastRunningBroker();
        stopBroker(victim);
        get(admin.unregisterBroker(victim).all(), "unregister broker " + victim);
        unregistered.add(victim);
        await("broker " + victim + " unregistered", () -> registeredBrokers().stream().noneMatch(n -> n.id() == victim));
        return victim;
    }

    // ---------------------------------------------------------------------------------------------
    // Consumer groups (all consume the orders topic)

    public static final String GROUP_CAUGHT_UP = "ledger";
    public static final String GROUP_STOPPED = "billing";
    public static final String GROUP_STALLED = "search";
    public static final String GROUP_SLOW = "analytics";
    public static final String GROUP_REWINDING = "replay";

    /** A group whose one consumer reads orders as fast as it is written and commits: lag 0, healthy. */
    public synchronized void caughtUpConsumerGroup() {
        ensureOpen();
        String group = GROUP_CAUGHT_UP;
        AtomicReference<KafkaConsumer<String, String>> c = new AtomicReference<>();
        running.add(ClientLoop.start("consumer-" + group, () -> {
            c.set(consumer(group, 500));
            drainAndCommit(c.get());
        }, loop -> {
            if (!pollQuietly(c.get(), loop).isEmpty()) {
                c.get().commitSync();
            }
        }, () -> wakeup(c.get()), () -> closeConsumer(c.get())));
        await(group + " consuming with lag 0", () -> members(group) == 1 && lag(group) == 0);
    }

    /**
     * A group that consumed orders to the end, committed and shut down, after which producers wrote 20 more
     * messages: no member, lag 20.
     */
    public synchronized void stoppedConsumerGroup() {
        ensureOpen();
        String group = GROUP_STOPPED;
        try (KafkaConsumer<String, String> c = consumer(group, 500)) {
            drainAndCommit(c);
        }
        produce(ORDERS, 20);
        await(group + " empty with lag 20", () -> members(group) == 0 && lag(group) == 20);
    }

    /**
     * A group whose consumer stays in the group (it keeps polling, so it keeps its partitions) but has paused
     * them: it commits nothing while producers write 20 more messages, as a consumer stuck on a poison message
     * or a blocked downstream does.
     */
    public synchronized void stalledConsumerGroup() {
        ensureOpen();
        String group = GROUP_STALLED;
        AtomicReference<KafkaConsumer<String, String>> c = new AtomicReference<>();
        running.add(ClientLoop.start("consumer-" + group, () -> {
            c.set(consumer(group, 500));
            drainAndCommit(c.get());
            c.get().pause(c.get().assignment());
        }, loop -> {
            pollQuietly(c.get(), loop);
            c.get().pause(c.get().assignment()); // partitions assigned by a later rebalance stay paused too
        }, () -> wakeup(c.get()), () -> closeConsumer(c.get())));
        await(group + " caught up and holding its partitions", () -> members(group) == 1 && lag(group) == 0);
        produce(ORDERS, 20);
        await(group + " with lag 20 and a member", () -> members(group) == 1 && lag(group) == 20);
    }

    /**
     * Producers write orders at about 40 messages/s while the group's consumer processes one message per 100 ms
     * and commits each: it makes progress, but lag grows.
     */
    public synchronized void slowConsumerGroup() {
        ensureOpen();
        String group = GROUP_SLOW;
        AtomicReference<KafkaProducer<String, String>> p = new AtomicReference<>();
        running.add(ClientLoop.start("producer-orders", () -> p.set(producer()), loop -> {
            p.get().send(new ProducerRecord<>(ORDERS, "k", "v"));
            ClientLoop.pause(Duration.ofMillis(25));
        }, () -> { }, () -> p.get().close(Duration.ofSeconds(5))));
        AtomicReference<KafkaConsumer<String, String>> c = new AtomicReference<>();
        running.add(ClientLoop.start("consumer-" + group, () -> c.set(consumer(group, 1)), loop -> {
            ConsumerRecords<String, String> records = pollQuietly(c.get(), loop);
            if (!records.isEmpty()) {
                ClientLoop.pause(Duration.ofMillis(100));
                c.get().commitSync();
            }
        }, () -> wakeup(c.get()), () -> closeConsumer(c.get())));
        await(group + " committing with lag", () -> members(group) == 1 && lag(group) > 0);
    }

    /**
     * A group whose consumer, after reading orders to the end, commits offsets one lower every 200 ms: a
     * replay walking backwards, as repeated {@code kafka-consumer-groups.sh --reset-offsets --shift-by -1} would.
     */
    public synchronized void rewindingConsumerGroup() {
        ensureOpen();
        String group = GROUP_REWINDING;
        AtomicReference<KafkaConsumer<String, String>> c = new AtomicReference<>();
        Map<TopicPartition, Long> last = new HashMap<>();
        running.add(ClientLoop.start("consumer-" + group, () -> {
            c.set(consumer(group, 500));
            drainAndCommit(c.get());
            c.get().pause(c.get().assignment());
            c.get().committed(c.get().assignment()).forEach((tp, om) -> last.put(tp, om == null ? 0 : om.offset()));
        }, loop -> {
            ClientLoop.pause(Duration.ofMillis(200));
            Map<TopicPartition, OffsetAndMetadata> back = new HashMap<>();
            last.replaceAll((tp, o) -> Math.max(0, o - 1));
            last.forEach((tp, o) -> back.put(tp, new OffsetAndMetadata(o)));
            c.get().commitSync(back);
            pollQuietly(c.get(), loop);
        }, () -> { }, () -> closeConsumer(c.get())));
        await(group + " rewinding", () -> members(group) == 1 && lag(group) >= 6);
    }

    private KafkaConsumer<String, String> consumer(String group, int maxPollRecords) {
        labGroups.add(group);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "opsdoc-lab-" + group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        c.subscribe(List.of(ORDERS));
        return c;
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Polls until the consumer has partitions and has read all of them to their end, then commits. */
    private static void drainAndCommit(KafkaConsumer<String, String> c) {
        long deadline = System.nanoTime() + FAULT_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(100));
            Set<TopicPartition> assigned = c.assignment();
            if (assigned.size() == ORDERS_PARTITIONS) {
                Map<TopicPartition, Long> ends = c.endOffsets(assigned);
                if (assigned.stream().allMatch(tp -> c.position(tp) >= ends.get(tp))) {
                    c.commitSync();
                    return;
                }
            }
        }
        throw new IllegalStateException("a lab consumer did not read " + ORDERS + " to its end within " + FAULT_DEADLINE.toSeconds() + " s");
    }

    private static ConsumerRecords<String, String> pollQuietly(KafkaConsumer<String, String> c, ClientLoop loop) {
        try {
            return c.poll(Duration.ofMillis(100));
        } catch (WakeupException e) {
            if (loop.running()) {
                throw e;
            }
            return ConsumerRecords.empty();
        }
    }

    private static void wakeup(KafkaConsumer<String, String> c) {
        if (c != null) {
            c.wakeup();
        }
    }

    private static void closeConsumer(KafkaConsumer<String, String> c) {
        if (c != null) {
            try {
                c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.debug("closing a lab consumer", e);
            }
        }
    }

    /** Members of a group now (0 when it does not exist). */
    public int members(String group) {
        return get(admin.describeConsumerGroups(List.of(group)).all(), "describe " + group).get(group).members().size();
    }

    /** Total lag of a group on the orders topic: log-end minus committed, summed over partitions. */
    public long lag(String group) {
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata(), "read offsets of " + group);
        if (committed.isEmpty()) {
            return -1;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = get(admin.listOffsets(latest).all(), "read end offsets");
        return committed.entrySet().stream().mapToLong(e -> ends.get(e.getKey()).offset() - e.getValue().offset()).sum();
    }

    private void deleteLabGroups() {
        if (labGroups.isEmpty()) {
            return;
        }
        Set<String> existing = get(admin.listGroups().all(), "list groups").stream().map(GroupListing::groupId)
                .filter(labGroups::contains).collect(Collectors.toSet());
        if (!existing.isEmpty()) {
            await("lab consumer groups deleted", () -> {
                try {
                    admin.deleteConsumerGroups(existing).all().get(10, TimeUnit.SECONDS);
                    return true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                        return true;
                    }
                    return false; // still has members leaving: try again
                } catch (Exception e) {
                    return false;
                }
            });
        }
        labGroups.clear();
    }

    // ---------------------------------------------------------------------------------------------
    // Healing

    /**
     * Undoes any fault: stops lab clients, restarts stopped brokers, deletes fault topics, restores topic configs,
     * elects preferred leaders, and waits until every partition is fully in sync and led by its preferred replica.
     */
    public synchronized void heal() {
        ensureOpen();
        long t0 = System.nanoTime();
        for (AutoCloseable c : running) {
            closeQuietly(c);
        }
        running.clear();
        deleteLabGroups();
        for (int id : new ArrayList<>(stopped)) {
            restartBroker(id);
        }
        if (!faultTopics.isEmpty()) {
            get(admin.deleteTopics(faultTopics).all(), "delete fault topics");
            Set<String> gone = Set.copyOf(faultTopics);
            faultTopics.clear();
            await("fault topics deleted", () -> describeAll().keySet().stream().noneMatch(gone::contains));
        }
        if (!originalAssignments.isEmpty()) {
            Map<TopicPartition, Optional<NewPartitionReassignment>> back = new HashMap<>();
            originalAssignments.forEach((tp, replicas) -> back.put(tp, Optional.of(new NewPartitionReassignment(replicas))));
            get(admin.alterPartitionReassignments(back).all(), "restore replica assignments");
            Map<TopicPartition, List<Integer>> expected = Map.copyOf(originalAssignments);
            originalAssignments.clear();
            await("replica assignments restored", () -> expected.entrySet().stream().allMatch(e ->
                    partitions(e.getKey().topic()).get(e.getKey().partition()).replicas().stream().map(Node::id).toList()
                            .equals(e.getValue())));
        }
        if (!topicConfigOverrides.isEmpty()) {
            Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
            topicConfigOverrides.forEach((topic, keys) -> ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    keys.entrySet().stream().map(e -> e.getValue() == null
                            ? new AlterConfigOp(new ConfigEntry(e.getKey(), ""), AlterConfigOp.OpType.DELETE)
                            : new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList()));
            get(admin.incrementalAlterConfigs(ops).all(), "restore topic configs");
            topicConfigOverrides.clear();
        }
        awaitHealthy();
        log.debug("Kafka lab healed in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private void awaitHealthy() {
        await("all " + BROKERS + " brokers live", () -> liveBrokers().size() == BROKERS);
        await("every partition fully in sync", this::allInSync);
        electPreferredLeaders();
        await("every partition led by its preferred replica", () -> describeAll().values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && p.leader().id() == p.replicas().get(0).id()));
    }

    private void electPreferredLeaders() {
        Set<TopicPartition> notPreferred = new HashSet<>();
        describeAll().forEach((t, d) -> d.partitions().forEach(p -> {
            if (p.leader() == null || p.leader().id() != p.replicas().get(0).id()) {
                notPreferred.add(new TopicPartition(t, p.partition()));
            }
        }));
        if (notPreferred.isEmpty()) {
            return;
        }
        try {
            admin.electLeaders(ElectionType.PREFERRED, notPreferred).all().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof ElectionNotNeededException)) {
                throw new IllegalStateException("cannot elect the preferred leaders", e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot elect the preferred leaders", e);
        }
    }

    private boolean allInSync() {
        return describeAll().values().stream().flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && p.isr().size() == p.replicas().size());
    }

    // ---------------------------------------------------------------------------------------------
    // Internals

    /** Kafka creates __consumer_offsets on the first group coordinator lookup; the lab does that only when needed. */
    void ensureConsumerOffsetsTopic() {
        // the first group coordinator lookup creates __consumer_offsets (RF 3, 5 partitions in the lab)
        try {
            admin.describeConsumerGroups(List.of("opsdoc-lab-bootstrap")).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // "group not found" is the expected answer; the lookup has done its job
        } catch (Exception e) {
            throw new IllegalStateException("cannot look up a group coordinator", e);
        }
        await(CONSUMER_OFFSETS + " created", () -> {
            TopicDescription d = describeAll().get(CONSUMER_OFFSETS);
            return d != null && d.partitions().stream().allMatch(p -> p.leader() != null);
        });
    }

    private void restartBroker(int id) {
        BrokerServer broker = broker(id);
        long t0 = System.nanoTime();
        if (!unregistered.contains(id)) {
            // The controller keeps a stopped broker's registration until its session expires (4 s here), and a
            // restart before that is refused as a duplicate registration. Dropping the stale registration first
            // lets the broker re-register at once, with the same id, log dirs and replicas.
            get(admin.unregisterBroker(id).all(), "unregister stopped broker " + id);
            unregistered.add(id);
        }
        broker.startup();
        unregistered.remove(id);
        stopped.remove(id);
        await("broker " + id + " live again", () -> liveBrokers().contains(id));
        log.info("broker {} restarted in {} ms", id, (System.nanoTime() - t0) / 1_000_000);
    }

    private int lastRunningBroker() {
        List<Integer> ids = new ArrayList<>(brokerIds());
        ids.removeAll(stopped);
        if (ids.isEmpty()) {
            throw new IllegalStateException("every lab broker is stopped already");
        }
        return ids.get(ids.size() - 1);
    }

    private BrokerServer broker(int id) {
        BrokerServer b = cluster.brokers().get(id);
        if (b == null) {
            throw new IllegalArgumentException("no lab broker " + id + "; brokers: " + brokerIds());
        }
        return b;
    }

    private void createFaultTopic(NewTopic topic) {
        faultTopics.add(topic.name());
        get(admin.createTopics(List.of(topic)).all(), "create topic " + topic.name());
        await("topic " + topic.name() + " has leaders", () -> {
            TopicDescription d = describeAll().get(topic.name());
            return d != null && d.partitions().stream().allMatch(p -> p.leader() != null);
        });
    }

    private void setTopicConfig(String topic, String key, String value) {
        ensureOpen();
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String previous = get(admin.describeConfigs(List.of(r)).all(), "describe " + topic).get(r).entries().stream()
                .filter(e -> e.name().equals(key) && e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                .map(ConfigEntry::value).findFirst().orElse(null);
        topicConfigOverrides.computeIfAbsent(topic, t -> new LinkedHashMap<>()).putIfAbsent(key, previous);
        get(admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(new ConfigEntry(key, value),
                AlterConfigOp.OpType.SET)))).all(), "set " + key + "=" + value + " on " + topic);
        await(key + "=" + value + " on " + topic, () -> get(admin.describeConfigs(List.of(r)).all(), "describe " + topic)
                .get(r).get(key).value().equals(value));
    }

    /** Writes {@code count} small records (acks=all) so topics have data and log-end offsets. */
    public void produce(String topic, int count) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    /** Live (unfenced) brokers. */
    Set<Integer> liveBrokers() {
        return get(admin.describeCluster().nodes(), "describe the cluster").stream().map(Node::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Registered brokers, fenced ones included. */
    Collection<Node> registeredBrokers() {
        return get(admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes(),
                "describe the cluster");
    }

    Map<String, TopicDescription> describeAll() {
        Set<String> names = get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), "list topics");
        return get(admin.describeTopics(names).allTopicNames(), "describe topics");
    }

    /** The partitions of a topic, as the brokers report them now. */
    public List<TopicPartitionInfo> partitions(String topic) {
        return Optional.ofNullable(describeAll().get(topic)).map(TopicDescription::partitions).orElse(List.of());
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> f, String what) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot " + what + " within 30 s", e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + FAULT_DEADLINE.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e; // a broker may be on its way up or down: try again
            }
            if (System.nanoTime() - deadline > 0) {
                IllegalStateException e = new IllegalStateException("the Kafka lab did not show " + what + " within "
                        + FAULT_DEADLINE.toSeconds() + " s");
                if (last != null) {
                    e.addSuppressed(last);
                }
                throw e;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Registers a lab client (producer/consumer loop) that heal() and close() stop. */
    void track(AutoCloseable client) {
        running.add(client);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the Kafka lab is closed");
        }
    }

    /** Stops lab clients, then the brokers and the controller; deletes the data directories. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            try {
                closeFinished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        long t0 = System.nanoTime();
        try {
            for (AutoCloseable c : running) {
                closeQuietly(c);
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
            closeQuietly(cluster);
            deleteRecursively(baseDir);
            log.info("Kafka lab stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } finally {
            closeFinished.countDown();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn("could not close {}", c, e);
        }
    }
}
