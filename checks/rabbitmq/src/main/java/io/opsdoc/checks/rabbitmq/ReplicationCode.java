package io.opsdoc.checks.rabbitmq;

import io.opsdoc.core.CheckCode;

/** The codes of {@code rabbitmq-queue-replication}. */
public enum ReplicationCode implements CheckCode {
    QUORUM_QUEUE_MINORITY("a quorum queue has fewer than a majority of its members online: it is unavailable"),
    QUORUM_MEMBER_DOWN("a quorum queue has a member offline: it still works, with less redundancy"),
    MIRROR_UNSYNCHRONISED("a classic mirrored queue has mirrors that do not hold all its messages"),
    QUEUE_SINGLE_NODE("classic queues without mirrors in a cluster: their messages live on one node only"),
    NON_DURABLE_QUEUE("a queue expected to survive a restart is not durable"),
    MIRRORING_POLICY_UNSUPPORTED("a policy uses classic mirroring (ha-mode): deprecated, and ignored since RabbitMQ 4.0");

    private final String title;

    ReplicationCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return QueueReplication.NOTE;
    }
}
