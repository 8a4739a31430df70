package io.opsdoc.lab.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The lab's own admin client (not least-privilege) and what the fault injectors ask the cluster while they wait for
 * a fault or a heal to show: metadata reads with a deadline, and waits on a condition that name what they waited for.
 */
final class LabAdmin implements AutoCloseable {
    /** How long a fault or a heal may take to show in the cluster's metadata. */
    static final Duration FAULT_DEADLINE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);

    private final Admin admin;
    private final String bootstrap;

    LabAdmin(String bootstrap) {
        this.bootstrap = bootstrap;
        Map<String, Object> conf = new HashMap<>();
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "opsdoc-lab");
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        this.admin = Admin.create(conf);
    }

    Admin client() {
        return admin;
    }

    String bootstrap() {
        return bootstrap;
    }

    /** The future's value within 30 s, or an exception that says what could not be done. */
    static <T> T get(KafkaFuture<T> f, String what) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + " within 30 s", e);
        }
    }

    /**
     * Waits until {@code condition} holds. A broker on its way up or down makes metadata reads fail for a moment,
     * so exceptions mean "not yet"; the last one is kept as the cause when the deadline passes.
     */
    static void await(String what, BooleanSupplier condition) {
        AtomicReference<RuntimeException> last = new AtomicReference<>();
        try {
            Awaitility.await(what).atMost(FAULT_DEADLINE).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> {
                try {
                    boolean holds = condition.getAsBoolean();
                    last.set(null);
                    return holds;
                } catch (RuntimeException e) {
                    last.set(e);
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            IllegalStateException failure = new IllegalStateException("the Kafka lab did not show " + what + " within "
                    + FAULT_DEADLINE.toSeconds() + " s", last.get());
            failure.addSuppressed(e);
            throw failure;
        }
    }

    /** Every topic, internal ones included, as the brokers describe it now. */
    Map<String, TopicDescription> describeAll() {
        Set<String> names = get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), "list topics");
        return get(admin.describeTopics(names).allTopicNames(), "describe topics");
    }

    List<TopicPartitionInfo> partitions(String topic) {
        return Optional.ofNullable(describeAll().get(topic)).map(TopicDescription::partitions).orElse(List.of());
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

    boolean allInSync() {
        return describeAll().values().stream().flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && p.isr().size() == p.replicas().size());
    }

    boolean allLedByPreferredReplica() {
        return describeAll().values().stream().flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && p.leader().id() == p.replicas().get(0).id());
    }

    void electPreferredLeaders() {
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while electing the preferred leaders", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot elect the preferred leaders within 20 s", e);
        }
    }

    /** Kafka creates __consumer_offsets on the first group coordinator lookup; the lab does that only when needed. */
    void ensureConsumerOffsetsTopic() {
        try {
            admin.describeConsumerGroups(List.of("opsdoc-lab-bootstrap")).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // "group not found" is the expected answer; the lookup has done its job
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up a group coordinator", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot look up a group coordinator within 30 s", e);
        }
        await(KafkaClusterLab.CONSUMER_OFFSETS + " created", () -> {
            TopicDescription d = describeAll().get(KafkaClusterLab.CONSUMER_OFFSETS);
            return d != null && d.partitions().stream().allMatch(p -> p.leader() != null);
        });
    }

    /** Writes {@code count} small records (acks=all) so topics have data and log-end offsets. */
    void produce(String topic, int count) {
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

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
