package io.opsdoc.checks.kafka;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evidence value holding every affected partition: JSON output carries the full list (topic, partition, leader,
 * replicas, ISR), while the terminal shows the first few names and a count, so 20,000 partitions stay readable.
 */
final class PartitionList {
    static final int SHOWN = 8;
    private final List<Map<String, Object>> partitions = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    void add(String topic, PartitionFacts p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", topic);
        m.put("partition", p.partition());
        m.put("leader", p.leader());
        m.put("replicas", p.replicas());
        m.put("isr", p.isr());
        partitions.add(m);
        names.add(topic + "-" + p.partition());
    }

    int size() {
        return partitions.size();
    }

    @JsonValue
    List<Map<String, Object>> all() {
        return partitions;
    }

    @Override
    public String toString() {
        String shown = String.join(" ", names.subList(0, Math.min(SHOWN, names.size())));
        return names.size() <= SHOWN ? shown : shown + " ... (+" + (names.size() - SHOWN) + " more; all in --format json)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionList other && other.partitions.equals(partitions);
    }

    @Override
    public int hashCode() {
        return partitions.hashCode();
    }
}
