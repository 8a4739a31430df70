package io.opsdoc.lab.kafka;

import static io.opsdoc.lab.kafka.LabAdmin.await;
import static io.opsdoc.lab.kafka.LabAdmin.get;

import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft cluster in this JVM: one controller and three brokers on loopback ({@link KafkaClusterTestKit},
 * separate controller, because combined controller+broker nodes block 300 s on broker shutdown), with the broker
 * faults here, topic faults in {@link #topics()} and misbehaving consumer groups in {@link #groups()}.
 *
 * <p>Every injector leaves its fault in place and returns once the cluster's metadata shows it; {@link #heal()}
 * undoes any of them. The lab knows nothing about the checks that are run against it.
 */
public final class KafkaClusterLab implements Lab {
    private static final Logger log = LoggerFactory.getLogger(KafkaClusterLab.class);

    public static final int BROKERS = 3;
    /**
     * The test kit numbers brokers from 0 (controllers from 3000); the broker faults stop the highest-numbered
     * running broker first, so after a heal the first broker stopped is always this one, the second one below it.
     */
    public static final int FIRST_STOPPED = BROKERS - 1;
    /** Healthy topics: replication factor 3, min.insync.replicas 2, the production recommendation. */
    public static final String ORDERS = "orders";
    public static final String PAYMENTS = "payments";
    public static final int ORDERS_PARTITIONS = 6;
    public static final int PAYMENTS_PARTITIONS = 3;
    public static final String SINGLE_REPLICA_TOPIC = TopicFaults.SINGLE_REPLICA_TOPIC;
    public static final String CONSUMER_OFFSETS = "__consumer_offsets";

    private static KafkaClusterLab shared;

    private final KafkaClusterTestKit cluster;
    private final LabAdmin admin;
    private final TopicFaults topics;
    private final ConsumerGroupFaults groups;
    private final Set<Integer> stopped = new TreeSet<>();
    private final Set<Integer> unregistered = new TreeSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closeFinished = new CountDownLatch(1);
    private final Path baseDir;

    private KafkaClusterLab(KafkaClusterTestKit cluster, Path baseDir) {
        this.cluster = cluster;
        this.baseDir = baseDir;
        this.admin = new LabAdmin(cluster.bootstrapServers());
        this.topics = new TopicFaults(admin, this::everyRunningBroker);
        this.groups = new ConsumerGroupFaults(admin);
    }

    /** Starts the cluster with the healthy lab topics; stop it with {@link #close()}. */
    public static KafkaClusterLab start() {
        long t0 = System.nanoTime();
        KafkaClusterTestKit kit = null;
        // our own directory: the test kit's default one is deleted by a JVM shutdown hook of its own, which races
        // the brokers still writing there at exit; they then see every log dir fail and halt the JVM
        Path baseDir = LabFiles.tempDir("opsdoc-kafka-lab-");
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
                if (!lab.brokerIds().equals(List.of(0, 1, 2))) {
                    throw new IllegalStateException("the test kit numbered the brokers " + lab.brokerIds()
                            + ", not 0, 1, 2 as the scenarios assume");
                }
                lab.createHealthyTopics();
                lab.awaitHealthy();
            } catch (RuntimeException e) {
                lab.close();
                throw e;
            }
            log.info("Kafka lab up in {} ms: brokers {}", (System.nanoTime() - t0) / 1_000_000, lab.bootstrapServers());
            return lab;
        } catch (RuntimeException e) {
            closeQuietly(kit);
            LabFiles.deleteRecursively(baseDir);
            throw e;
        } catch (Exception e) {
            closeQuietly(kit);
            LabFiles.deleteRecursively(baseDir);
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
        get(admin.client().createTopics(List.of(
                new NewTopic(ORDERS, ORDERS_PARTITIONS, (short) 3).configs(durable),
                new NewTopic(PAYMENTS, PAYMENTS_PARTITIONS, (short) 3).configs(durable))).all(), "create the lab topics");
        admin.produce(ORDERS, 60);
        admin.produce(PAYMENTS, 30);
    }

    // ---------------------------------------------------------------------------------------------
    // Coordinates

    /** {@code host:port,host:port,host:port} of all brokers, as a client's bootstrap.servers. */
    public String bootstrapServers() {
        return admin.bootstrap();
    }

    /** {@code kafka://host:port,host:port,host:port}. */
    public String uri() {
        return "kafka://" + bootstrapServers();
    }

    @Override
    public String where() {
        return "brokers " + bootstrapServers();
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
        return admin.client();
    }

    /** Faults in topic layout and configuration. */
    public TopicFaults topics() {
        ensureOpen();
        return topics;
    }

    /** Consumer groups that stop, stall, lag or rewind. */
    public ConsumerGroupFaults groups() {
        ensureOpen();
        return groups;
    }

    /** The partitions of a topic, as the brokers report them now. */
    public List<TopicPartitionInfo> partitions(String topic) {
        return admin.partitions(topic);
    }

    /** Writes {@code count} small records (acks=all) so topics have data and log-end offsets. */
    public void produce(String topic, int count) {
        admin.produce(topic, count);
    }

    // ---------------------------------------------------------------------------------------------
    // Broker faults

    /**
     * Shuts one broker down (a controlled shutdown, like {@code kafka-server-stop.sh}): its replicas leave every
     * ISR, partitions it led move to another broker, RF 3 topics with min.insync.replicas 2 are then exactly at
     * their minimum. Returns the id of the stopped broker ({@link #FIRST_STOPPED} on a healed lab).
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
        await("broker " + id + " fenced and out of every ISR", () -> !admin.liveBrokers().contains(id)
                && admin.describeAll().values().stream().flatMap(d -> d.partitions().stream())
                        .noneMatch(p -> p.isr().stream().anyMatch(n -> n.id() == id)));
    }

    /**
     * Shuts one broker down and waits until the metadata quorum has seen it fall more than {@code behind} behind:
     * the leader's last fetch minus the broker's last catch-up, the age a quorum lag alert measures. Returns the
     * stopped broker.
     */
    public synchronized int brokerBehindMetadataQuorum(Duration behind) {
        int victim = stopOneBroker();
        await("broker " + victim + " more than " + behind.toMillis() + " ms behind the metadata log",
                () -> catchUpAge(victim).orElse(-1) > behind.toMillis());
        return victim;
    }

    /** How long ago, by the quorum leader's clock, the observer {@code broker} last caught up; empty if unknown. */
    private OptionalLong catchUpAge(int broker) {
        QuorumInfo q = get(admin.client().describeMetadataQuorum().quorumInfo(), "describe the metadata quorum");
        OptionalLong now = q.voters().stream().filter(v -> v.replicaId() == q.leaderId())
                .map(QuorumInfo.ReplicaState::lastFetchTimestamp).findFirst().orElse(OptionalLong.empty());
        OptionalLong caughtUp = q.observers().stream().filter(o -> o.replicaId() == broker)
                .map(QuorumInfo.ReplicaState::lastCaughtUpTimestamp).findFirst().orElse(OptionalLong.empty());
        return now.isPresent() && caughtUp.isPresent() ? OptionalLong.of(now.getAsLong() - caughtUp.getAsLong())
                : OptionalLong.empty();
    }

    /**
     * A single-replica topic whose only replica lives on a broker that is then shut down: its partition has no
     * leader (offline). Returns the stopped broker.
     */
    public synchronized int offlinePartition() {
        ensureOpen();
        int victim = lastRunningBroker();
        topics.create(new NewTopic(SINGLE_REPLICA_TOPIC, Map.of(0, List.of(victim))));
        stopBroker(victim);
        await(SINGLE_REPLICA_TOPIC + "-0 without a leader", () -> {
            TopicDescription d = admin.describeAll().get(SINGLE_REPLICA_TOPIC);
            return d != null && d.partitions().get(0).leader() == null;
        });
        return victim;
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
        await("broker " + victim + " back in every ISR", admin::allInSync);
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
        get(admin.client().unregisterBroker(victim).all(), "unregister broker " + victim);
        unregistered.add(victim);
        await("broker " + victim + " unregistered",
                () -> admin.registeredBrokers().stream().noneMatch(n -> n.id() == victim));
        return victim;
    }

    // ---------------------------------------------------------------------------------------------
    // Healing

    /**
     * Undoes any fault: stops lab clients, restarts stopped brokers, deletes fault topics, restores topic configs,
     * elects preferred leaders, and waits until every partition is fully in sync and led by its preferred replica.
     */
    @Override
    public synchronized void heal() {
        ensureOpen();
        long t0 = System.nanoTime();
        groups.heal();
        for (int id : new ArrayList<>(stopped)) {
            restartBroker(id);
        }
        topics.heal();
        awaitHealthy();
        log.debug("Kafka lab healed in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private void awaitHealthy() {
        await("all " + BROKERS + " brokers live", () -> admin.liveBrokers().size() == BROKERS);
        await("every partition fully in sync", admin::allInSync);
        admin.electPreferredLeaders();
        await("every partition led by its preferred replica", admin::allLedByPreferredReplica);
    }

    private void restartBroker(int id) {
        BrokerServer broker = broker(id);
        long t0 = System.nanoTime();
        if (!unregistered.contains(id)) {
            // The controller keeps a stopped broker's registration until its session expires (4 s here), and a
            // restart before that is refused as a duplicate registration. Dropping the stale registration first
            // lets the broker re-register at once, with the same id, log dirs and replicas.
            get(admin.client().unregisterBroker(id).all(), "unregister stopped broker " + id);
            unregistered.add(id);
        }
        broker.startup();
        unregistered.remove(id);
        stopped.remove(id);
        await("broker " + id + " live again", () -> admin.liveBrokers().contains(id));
        log.info("broker {} restarted in {} ms", id, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Whether the metadata cache of every running broker has (or, with known false, lacks) the topic. */
    private boolean everyRunningBroker(String topic, boolean known) {
        Set<Integer> down = Set.copyOf(stopped);
        return cluster.brokers().entrySet().stream().filter(e -> !down.contains(e.getKey()))
                .allMatch(e -> e.getValue().metadataCache().contains(topic) == known);
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
            groups.stopClients();
            admin.close();
            closeQuietly(cluster);
            LabFiles.deleteRecursively(baseDir);
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
