package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Reads brokers, topics, partitions and durability configs through the Admin API: {@code describeCluster},
 * {@code listTopics} (internal included), {@code describeTopics}, {@code describeConfigs}. Used only from
 * {@code collect()}, so the Kafka client loads only when a Kafka check runs.
 */
final class TopicsCollector {
    private TopicsCollector() {
    }

    static TopicsFacts collect(CheckContext context, String checkId, boolean includeInternal, Pattern topicFilter)
            throws ProbeException, InterruptedException {
        return collect(context, checkId, includeInternal, topicFilter, true);
    }

    /**
     * @param withConfigs false to skip {@code describeConfigs}: a check that needs only the layout then needs no
     *                    DescribeConfigs ACL, and the facts carry no configs
     */
    static TopicsFacts collect(CheckContext context, String checkId, boolean includeInternal, Pattern topicFilter,
            boolean withConfigs) throws ProbeException, InterruptedException {
        try (AdminSession s = AdminSession.open(context, checkId)) {
            Admin a = s.admin();
            // independent requests go out together: on a large cluster each is a round trip plus decoding time
            KafkaFuture<Collection<TopicListing>> listed = a.listTopics(new ListTopicsOptions().listInternal(includeInternal)
                    .timeoutMs(s.callTimeout())).listings();
            Brokers brokers = brokers(s);
            Collection<TopicListing> listings = s.get(listed, "list topics");
            Map<String, Boolean> internal = new LinkedHashMap<>();
            listings.stream().sorted(Comparator.comparing(TopicListing::name))
                    .filter(l -> topicFilter.matcher(l.name()).matches())
                    .forEach(l -> internal.put(l.name(), l.isInternal()));
            Integer from = brokers.list.stream().filter(b -> !b.fenced()).map(BrokerFacts::id).findFirst().orElse(null);
            ConfigResource brokerResource = from == null || !withConfigs ? null : new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(from));
            Map<String, KafkaFuture<TopicDescription>> described = internal.isEmpty() ? Map.of()
                    : a.describeTopics(internal.keySet(), new DescribeTopicsOptions().timeoutMs(s.callTimeout()))
                            .topicNameValues();
            List<ConfigResource> resources = !withConfigs ? new ArrayList<>() : new ArrayList<>(internal.keySet().stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList());
            if (brokerResource != null) {
                resources.add(brokerResource);
            }
            Map<ConfigResource, KafkaFuture<Config>> configured = resources.isEmpty() ? Map.of()
                    : a.describeConfigs(resources, new DescribeConfigsOptions().timeoutMs(s.callTimeout())).values();
            Map<String, TopicDescription> descriptions = new LinkedHashMap<>();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> e : described.entrySet()) {
                // a topic deleted after it was listed (or listed by a broker whose metadata lags) is skipped, not
                // a failure: on a cluster with topic churn every run would otherwise be UNKNOWN
                TopicDescription d = s.getUnless(e.getValue(), "describe topics", UnknownTopicOrPartitionException.class);
                if (d != null) {
                    descriptions.put(e.getKey(), d);
                }
            }
            Map<ConfigResource, Config> configs = new HashMap<>();
            for (Map.Entry<ConfigResource, KafkaFuture<Config>> e : configured.entrySet()) {
                Config c = s.getUnless(e.getValue(), "describe configs", UnknownTopicOrPartitionException.class);
                if (c != null) {
                    configs.put(e.getKey(), c);
                }
            }
            List<TopicFacts> topics = new ArrayList<>();
            for (Map.Entry<String, Boolean> e : internal.entrySet()) {
                TopicDescription d = descriptions.get(e.getKey());
                if (d == null) {
                    continue; // deleted between list and describe
                }
                List<PartitionFacts> partitions = d.partitions().stream()
                        .sorted(Comparator.comparingInt(TopicPartitionInfo::partition))
                        .map(TopicsCollector::partition).toList();
                Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, e.getKey()));
                topics.add(new TopicFacts(e.getKey(), e.getValue() || d.isInternal(), pick(c, TopicsFacts.TOPIC_CONFIGS),
                        partitions));
            }
            Map<String, String> brokerConfigs = brokerResource == null ? Map.of() : pick(configs.get(brokerResource),
                    TopicsFacts.BROKER_CONFIGS);
            return new TopicsFacts(brokers.clusterId, brokers.list, brokers.fencedListed,
                    brokerResource == null ? null : from, brokerConfigs, topics);
        }
    }

    record Brokers(String clusterId, List<BrokerFacts> list, boolean fencedListed, Integer controller) {
    }

    /** Registered brokers, fenced ones included where the brokers can list them (Kafka 4.0+). */
    static Brokers brokers(AdminSession s) throws ProbeException, InterruptedException {
        Admin a = s.admin();
        boolean fencedListed = true;
        DescribeClusterResult r = a.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)
                .timeoutMs(s.callTimeout()));
        Collection<Node> nodes;
        try {
            nodes = s.get(r.nodes(), "describe the cluster");
        } catch (ProbeException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnsupportedVersionException)) {
                throw e;
            }
            fencedListed = false;
            r = a.describeCluster(new DescribeClusterOptions().timeoutMs(s.callTimeout()));
            nodes = s.get(r.nodes(), "describe the cluster");
        }
        String clusterId = s.get(r.clusterId(), "describe the cluster");
        Node controller = s.get(r.controller(), "describe the cluster");
        List<BrokerFacts> list = nodes.stream().sorted(Comparator.comparingInt(Node::id))
                .map(n -> new BrokerFacts(n.id(), n.host(), n.port(), n.rack(), n.isFenced())).toList();
        return new Brokers(clusterId, list, fencedListed, controller == null || controller.isEmpty() ? null : controller.id());
    }

    private static PartitionFacts partition(TopicPartitionInfo p) {
        Node leader = p.leader();
        return new PartitionFacts(p.partition(), leader == null || leader.isEmpty() || leader.id() < 0 ? null : leader.id(),
                p.replicas().stream().map(Node::id).toList(), p.isr().stream().map(Node::id).toList());
    }

    private static Map<String, String> pick(Config c, List<String> keys) {
        Map<String, String> out = new LinkedHashMap<>();
        if (c == null) {
            return out;
        }
        for (String k : keys) {
            ConfigEntry e = c.get(k);
            if (e != null && e.value() != null) {
                out.put(k, e.value());
            }
        }
        return out;
    }
}
