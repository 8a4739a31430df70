package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeLogDirsOptions;
import org.apache.kafka.clients.admin.DescribeMetadataQuorumOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.KafkaFuture;

/**
 * {@code describeCluster} (fenced brokers included), {@code describeMetadataQuorum} and {@code describeLogDirs} of
 * each live broker. A broker whose log dirs cannot be read is recorded, not fatal: the other brokers still count.
 */
final class ClusterCollector {
    private ClusterCollector() {
    }

    static ClusterFacts collect(CheckContext context, String checkId) throws ProbeException, InterruptedException {
        try (AdminSession s = AdminSession.open(context, checkId)) {
            Admin a = s.admin();
            TopicsCollector.Brokers brokers = TopicsCollector.brokers(s);
            ClusterFacts.QuorumFacts quorum = null;
            String quorumError = null;
            try {
                QuorumInfo q = s.get(a.describeMetadataQuorum(new DescribeMetadataQuorumOptions()
                        .timeoutMs(s.callTimeout())).quorumInfo(), "describe the metadata quorum");
                quorum = new ClusterFacts.QuorumFacts(q.leaderId(), q.leaderEpoch(), q.highWatermark(),
                        members(q.voters()), members(q.observers()));
            } catch (ProbeException e) {
                if (e.code() == ProbeErrors.PERMISSION_DENIED || e.code() == ProbeErrors.AUTH_FAILED) {
                    throw e;
                }
                quorumError = e.getMessage();
            }
            List<Integer> live = brokers.list().stream().filter(b -> !b.fenced()).map(BrokerFacts::id).toList();
            List<ClusterFacts.LogDirFacts> dirs = new ArrayList<>();
            Map<Integer, String> dirErrors = new TreeMap<>();
            if (!live.isEmpty()) {
                Map<Integer, KafkaFuture<Map<String, LogDirDescription>>> perBroker = a.describeLogDirs(live,
                        new DescribeLogDirsOptions().timeoutMs(s.callTimeout())).descriptions();
                for (Map.Entry<Integer, KafkaFuture<Map<String, LogDirDescription>>> e : new TreeMap<>(perBroker).entrySet()) {
                    try {
                        Map<String, LogDirDescription> d = s.get(e.getValue(), "describe the log dirs of broker " + e.getKey());
                        new TreeMap<>(d).forEach((path, desc) -> dirs.add(new ClusterFacts.LogDirFacts(e.getKey(), path,
                                desc.error() == null ? null : desc.error().getClass().getSimpleName() + ": " + desc.error().getMessage(),
                                desc.totalBytes().isPresent() ? desc.totalBytes().getAsLong() : null,
                                desc.usableBytes().isPresent() ? desc.usableBytes().getAsLong() : null,
                                desc.replicaInfos().size())));
                    } catch (ProbeException ex) {
                        if (ex.code() == ProbeErrors.PERMISSION_DENIED || ex.code() == ProbeErrors.AUTH_FAILED) {
                            throw ex;
                        }
                        dirErrors.put(e.getKey(), ex.getMessage());
                    }
                }
            }
            return new ClusterFacts(brokers.clusterId(), brokers.list(), brokers.fencedListed(), brokers.controller(),
                    quorum, quorumError, dirs, dirErrors);
        }
    }

    private static List<ClusterFacts.QuorumMember> members(List<QuorumInfo.ReplicaState> states) {
        return states.stream().sorted(Comparator.comparingInt(QuorumInfo.ReplicaState::replicaId))
                .map(r -> new ClusterFacts.QuorumMember(r.replicaId(), r.logEndOffset(),
                        r.lastFetchTimestamp().isPresent() ? r.lastFetchTimestamp().getAsLong() : null,
                        r.lastCaughtUpTimestamp().isPresent() ? r.lastCaughtUpTimestamp().getAsLong() : null))
                .toList();
    }

}
