package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.ProbeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples every consumer group twice, {@code window} apart, within the deadline: {@code listGroups},
 * {@code listConsumerGroupOffsets} and {@code listOffsets(latest)} per sample, {@code describeConsumerGroups} at
 * the second. Read-only: no group is joined.
 */
final class GroupsCollector {
    private GroupsCollector() {
    }

    record Sample(long at, Map<String, Map<TopicPartition, Long>> committed, Map<TopicPartition, Long> ends) {
    }

    static GroupsFacts collect(CheckContext context, String checkId, Pattern groupFilter, Duration window)
            throws ProbeException, InterruptedException {
        try (AdminSession s = AdminSession.open(context, checkId)) {
            Sample first = sample(s, groupFilter, null);
            long firstTook = System.currentTimeMillis() - first.at();
            // the second sample needs about as long as the first: fit the window in what is left (SamplingWindow's rule)
            long fitted = SamplingWindow.fit(window, context.remaining().minusMillis(firstTook)).toMillis();
            long sleep = fitted - firstTook;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
            Sample second = sample(s, groupFilter, first.committed().keySet());
            Map<String, ConsumerGroupDescription> described = first.committed().isEmpty() ? Map.of()
                    : s.get(s.admin().describeConsumerGroups(first.committed().keySet(),
                            new DescribeConsumerGroupsOptions().timeoutMs(s.callTimeout())).all(), "describe consumer groups");
            List<GroupsFacts.GroupFacts> groups = new ArrayList<>();
            for (String g : new TreeMap<>(first.committed()).keySet()) {
                Map<TopicPartition, Long> c1 = first.committed().getOrDefault(g, Map.of());
                Map<TopicPartition, Long> c2 = second.committed().getOrDefault(g, Map.of());
                Set<TopicPartition> tps = new HashSet<>(c1.keySet());
                tps.addAll(c2.keySet());
                List<GroupsFacts.PartitionOffsets> parts = tps.stream()
                        .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                        .map(tp -> new GroupsFacts.PartitionOffsets(tp.topic(), tp.partition(), c1.get(tp),
                                first.ends().get(tp), c2.get(tp), second.ends().get(tp)))
                        .toList();
                ConsumerGroupDescription d = described.get(g);
                groups.add(new GroupsFacts.GroupFacts(g, d == null ? "Unknown" : String.valueOf(d.groupState()),
                        d == null ? 0 : d.members().size(), parts));
            }
            return new GroupsFacts(first.at(), second.at(), groups);
        }
    }

    /** @param groups the groups of the first sample, or null to list them */
    private static Sample sample(AdminSession s, Pattern filter, Set<String> groups)
            throws ProbeException, InterruptedException {
        Admin a = s.admin();
        long at = System.currentTimeMillis();
        Set<String> ids = groups;
        if (ids == null) {
            Collection<GroupListing> listings = s.get(a.listGroups(new ListGroupsOptions().timeoutMs(s.callTimeout())).all(),
                    "list consumer groups");
            ids = new HashSet<>();
            for (GroupListing l : listings) {
                GroupType type = l.type().orElse(GroupType.CLASSIC);
                if (type != GroupType.SHARE && filter.matcher(l.groupId()).matches()) {
                    ids.add(l.groupId());
                }
            }
        }
        Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
        Set<TopicPartition> all = new HashSet<>();
        if (!ids.isEmpty()) {
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            ids.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
            Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = s.get(a.listConsumerGroupOffsets(specs,
                    new ListConsumerGroupOffsetsOptions().timeoutMs(s.callTimeout())).all(), "read committed offsets");
            offsets.forEach((g, m) -> {
                Map<TopicPartition, Long> c = new HashMap<>();
                m.forEach((tp, om) -> {
                    if (om != null) {
                        c.put(tp, om.offset());
                        all.add(tp);
                    }
                });
                committed.put(g, c);
            });
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        if (!all.isEmpty()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            all.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            ListOffsetsResult r = a.listOffsets(latest, new ListOffsetsOptions().timeoutMs(s.callTimeout()));
            for (TopicPartition tp : all) {
                try {
                    ends.put(tp, s.get(r.partitionResult(tp), "read the log-end offset of " + tp).offset());
                } catch (ProbeException e) {
                    if (e.code() != ProbeErrors.PROBE_FAILED) {
                        throw e;
                    }
                    // a deleted topic or an offline partition: no end offset, the lag of that partition is unknown
                }
            }
        }
        return new Sample(at, committed, ends);
    }
}
