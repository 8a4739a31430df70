package io.opsdoc.lab.kafka;

import static io.opsdoc.lab.kafka.LabAdmin.await;
import static io.opsdoc.lab.kafka.LabAdmin.get;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer groups misbehaving the ways lag monitoring tells apart, each a real client on the orders topic: loops on
 * daemon threads ({@link ClientLoop}) that keep running while the check samples the group twice. Every method returns
 * once the group's state is visible to an admin client; {@link #heal()} stops the loops and deletes the groups.
 */
public final class ConsumerGroupFaults {
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupFaults.class);

    public static final String GROUP_CAUGHT_UP = "ledger";
    public static final String GROUP_STOPPED = "billing";
    public static final String GROUP_STALLED = "search";
    public static final String GROUP_SLOW = "analytics";
    public static final String GROUP_REWINDING = "replay";

    private static final String TOPIC = KafkaClusterLab.ORDERS;

    private final LabAdmin lab;
    private final Admin admin;
    private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();
    private final Set<String> groups = new TreeSet<>();

    ConsumerGroupFaults(LabAdmin lab) {
        this.lab = lab;
        this.admin = lab.client();
    }

    /** A group whose one consumer reads orders as fast as it is written and commits: lag 0, healthy. */
    public synchronized void caughtUp() {
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
    public synchronized void stopped() {
        String group = GROUP_STOPPED;
        try (KafkaConsumer<String, String> c = consumer(group, 500)) {
            drainAndCommit(c);
        }
        lab.produce(TOPIC, 20);
        await(group + " empty with lag 20", () -> members(group) == 0 && lag(group) == 20);
    }

    /**
     * A group whose consumer stays in the group (it keeps polling, so it keeps its partitions) but has paused
     * them: it commits nothing while producers write 20 more messages, as a consumer stuck on a poison message
     * or a blocked downstream does.
     */
    public synchronized void stalled() {
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
        lab.produce(TOPIC, 20);
        await(group + " with lag 20 and a member", () -> members(group) == 1 && lag(group) == 20);
    }

    /**
     * Producers write orders at about 40 messages/s while the group's consumer processes one message per 100 ms
     * and commits each: it makes progress, but lag grows.
     */
    public synchronized void slow() {
        String group = GROUP_SLOW;
        AtomicReference<KafkaProducer<String, String>> p = new AtomicReference<>();
        running.add(ClientLoop.start("producer-" + TOPIC, () -> p.set(producer()), loop -> {
            p.get().send(new ProducerRecord<>(TOPIC, "k", "v"));
            ClientLoop.pause(Duration.ofMillis(25)); // the producer's pace, not a wait for a condition
        }, () -> { }, () -> p.get().close(Duration.ofSeconds(5))));
        AtomicReference<KafkaConsumer<String, String>> c = new AtomicReference<>();
        running.add(ClientLoop.start("consumer-" + group, () -> c.set(consumer(group, 1)), loop -> {
            ConsumerRecords<String, String> records = pollQuietly(c.get(), loop);
            if (!records.isEmpty()) {
                ClientLoop.pause(Duration.ofMillis(100)); // the consumer's processing time per message
                c.get().commitSync();
            }
        }, () -> wakeup(c.get()), () -> closeConsumer(c.get())));
        await(group + " committing with lag", () -> members(group) == 1 && lag(group) > 0);
    }

    /**
     * A group whose consumer, after reading orders to the end, commits offsets one lower every 200 ms: a replay
     * walking backwards, as repeated {@code kafka-consumer-groups.sh --reset-offsets --shift-by -1} would.
     */
    public synchronized void rewinding() {
        String group = GROUP_REWINDING;
        AtomicReference<KafkaConsumer<String, String>> c = new AtomicReference<>();
        Map<TopicPartition, Long> last = new HashMap<>();
        running.add(ClientLoop.start("consumer-" + group, () -> {
            c.set(consumer(group, 500));
            drainAndCommit(c.get());
            c.get().pause(c.get().assignment());
            c.get().committed(c.get().assignment()).forEach((tp, om) -> last.put(tp, om == null ? 0 : om.offset()));
        }, loop -> {
            ClientLoop.pause(Duration.ofMillis(200)); // the replay's pace
            Map<TopicPartition, OffsetAndMetadata> back = new HashMap<>();
            last.replaceAll((tp, o) -> Math.max(0, o - 1));
            last.forEach((tp, o) -> back.put(tp, new OffsetAndMetadata(o)));
            c.get().commitSync(back);
            pollQuietly(c.get(), loop);
        }, () -> { }, () -> closeConsumer(c.get())));
        await(group + " rewinding", () -> members(group) == 1 && lag(group) >= 6);
    }

    /** Members of a group now (0 when it does not exist). */
    public int members(String group) {
        return get(admin.describeConsumerGroups(List.of(group)).all(), "describe " + group).get(group).members().size();
    }

    /** Total lag of a group: log-end minus committed, summed over its partitions; -1 before its first commit. */
    public long lag(String group) {
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata(), "read offsets of " + group);
        if (committed.isEmpty()) {
            return -1;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = get(admin.listOffsets(latest).all(),
                "read end offsets");
        return committed.entrySet().stream().mapToLong(e -> ends.get(e.getKey()).offset() - e.getValue().offset()).sum();
    }

    private KafkaConsumer<String, String> consumer(String group, int maxPollRecords) {
        groups.add(group);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "opsdoc-lab-" + group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        c.subscribe(List.of(TOPIC));
        return c;
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /**
     * Polls until the consumer has all partitions and has read each to its end, then commits. The consumer is not
     * thread-safe, so the condition is polled on the calling thread.
     */
    private static void drainAndCommit(KafkaConsumer<String, String> c) {
        try {
            Awaitility.await("a lab consumer reads " + TOPIC + " to its end").atMost(LabAdmin.FAULT_DEADLINE)
                    .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
                        c.poll(Duration.ofMillis(100));
                        Set<TopicPartition> assigned = c.assignment();
                        if (assigned.size() != KafkaClusterLab.ORDERS_PARTITIONS) {
                            return false;
                        }
                        Map<TopicPartition, Long> ends = c.endOffsets(assigned);
                        return assigned.stream().allMatch(tp -> c.position(tp) >= ends.get(tp));
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("a lab consumer did not read " + TOPIC + " to its end within "
                    + LabAdmin.FAULT_DEADLINE.toSeconds() + " s; assigned " + c.assignment(), e);
        }
        c.commitSync();
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

    /** Stops the lab's clients and deletes the groups they used. */
    synchronized void heal() {
        stopClients();
        if (groups.isEmpty()) {
            return;
        }
        Set<String> existing = get(admin.listGroups().all(), "list groups").stream().map(GroupListing::groupId)
                .filter(groups::contains).collect(Collectors.toSet());
        if (!existing.isEmpty()) {
            // a group is deleted once its last member has left; until then the broker refuses
            await("lab consumer groups deleted", () -> {
                try {
                    admin.deleteConsumerGroups(existing).all().get(10, TimeUnit.SECONDS);
                    return true;
                } catch (ExecutionException e) {
                    return e.getCause() instanceof GroupIdNotFoundException;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while deleting the lab groups", e);
                } catch (java.util.concurrent.TimeoutException e) {
                    return false;
                }
            });
        }
        groups.clear();
    }

    /** Stops the running client loops (each within 15 s). */
    void stopClients() {
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("could not stop lab client {}", c, e);
            }
        }
        running.clear();
    }
}
