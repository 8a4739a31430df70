package io.opsdoc.checks.rabbitmq;

import io.opsdoc.core.CheckCode;

/** The codes of {@code rabbitmq-cluster}. */
public enum ClusterCode implements CheckCode {
    NODE_DOWN("a cluster node is not running (stopped app, dead VM, or fewer nodes than expected)"),
    NETWORK_PARTITION("nodes saw each other disconnect and reconnect: the cluster is split and its halves may diverge"),
    MEMORY_ALARM("a node is above its memory high watermark: publishers on every node are blocked"),
    DISK_ALARM("a node has less free disk than its limit: publishers on every node are blocked"),
    FD_NEAR_LIMIT("a node uses most of its file descriptors or of the sockets it allows"),
    VERSION_SKEW("the running nodes run different RabbitMQ versions: a rolling upgrade left unfinished"),
    QUORUM_CRITICAL("stopping the node asked now would make quorum queues lose their majority");

    private final String title;

    ClusterCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return RabbitCluster.NOTE;
    }
}
