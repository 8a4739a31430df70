package io.opsdoc.checks.kafka;

import java.util.List;
import java.util.Map;

/**
 * What {@code kafka-cluster} reads: registered brokers, the KRaft metadata quorum and every live broker's log dirs.
 *
 * @param reportedController the broker {@code describeCluster} names as controller (in KRaft a random live broker
 *                           that forwards to the real one; kept as read, not judged)
 * @param quorum             null when the cluster could not describe its quorum (ZooKeeper mode, or an error in
 *                           {@code quorumError})
 * @param logDirErrors       broker id to why its log dirs could not be described
 */
public record ClusterFacts(String clusterId, List<BrokerFacts> brokers, boolean fencedBrokersListed,
        Integer reportedController, QuorumFacts quorum, String quorumError, List<LogDirFacts> logDirs,
        Map<Integer, String> logDirErrors) {

    /** {@code describeMetadataQuorum}: the leader and how far each voter and observer has caught up. */
    public record QuorumFacts(int leaderId, long leaderEpoch, long highWatermark, List<QuorumMember> voters,
            List<QuorumMember> observers) {
    }

    /** Timestamps are the leader's clock, in epoch milliseconds; null when the leader has not recorded one. */
    public record QuorumMember(int id, long logEndOffset, Long lastFetchTimestamp, Long lastCaughtUpTimestamp) {
    }

    /**
     * One log directory of one broker.
     *
     * @param error       null when the directory is online
     * @param totalBytes  null when the broker does not report sizes (before Kafka 3.3)
     */
    public record LogDirFacts(int broker, String path, String error, Long totalBytes, Long usableBytes, int replicas) {
    }
}
