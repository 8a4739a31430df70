package io.opsdoc.checks.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The partitions one rule matched, summarised the way an operator reads a large cluster: how many, in how many
 * topics, which topics are worst, and which brokers they have in common.
 */
final class Affected {
    private final PartitionList list = new PartitionList();
    private final Map<String, Integer> byTopic = new LinkedHashMap<>();
    private final Map<String, Integer> topicSizes = new LinkedHashMap<>();
    private final Map<Integer, Integer> byBroker = new TreeMap<>();

    /** @param brokers the brokers this partition implicates (e.g. the replicas missing from its ISR) */
    void add(TopicFacts topic, PartitionFacts p, Collection<Integer> brokers) {
        list.add(topic.name(), p);
        byTopic.merge(topic.name(), 1, Integer::sum);
        topicSizes.put(topic.name(), topic.partitions().size());
        for (Integer b : brokers) {
            byBroker.merge(b, 1, Integer::sum);
        }
    }

    boolean isEmpty() {
        return list.size() == 0;
    }

    int partitions() {
        return list.size();
    }

    int topics() {
        return byTopic.size();
    }

    PartitionList list() {
        return list;
    }

    /** "orders (6 of 6), payments (3 of 3)": the topics with the most affected partitions first. */
    String worstTopics(int n) {
        String shown = byTopic.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(e -> e.getKey() + " (" + e.getValue() + " of " + topicSizes.get(e.getKey()) + ")")
                .collect(Collectors.joining(", "));
        return byTopic.size() > n ? shown + ", ... (" + (byTopic.size() - n) + " more topics)" : shown;
    }

    /** "broker 2: 9, broker 1: 3": each broker and the number of affected partitions it is implicated in. */
    String byBroker() {
        return byBroker.entrySet().stream()
                .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> "broker " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Brokers implicated in at least half of the affected partitions, most implicated first. */
    List<Integer> commonFactors() {
        List<Integer> out = new ArrayList<>();
        byBroker.entrySet().stream()
                .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .filter(e -> e.getValue() * 2 >= list.size())
                .forEach(e -> out.add(e.getKey()));
        return out;
    }

    /** How many of the affected partitions a broker is implicated in. */
    int count(int broker) {
        return byBroker.getOrDefault(broker, 0);
    }
}
