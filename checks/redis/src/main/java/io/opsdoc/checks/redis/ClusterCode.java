package io.opsdoc.checks.redis;

import io.opsdoc.core.CheckCode;

/** The finding codes of redis-cluster, each a section of the note redis/cluster. */
enum ClusterCode implements CheckCode {
    NOT_A_CLUSTER("the server does not run in cluster mode"),
    CLUSTER_STATE_FAIL("the cluster refuses queries (cluster_state:fail)"),
    SLOTS_UNASSIGNED("some of the 16384 hash slots belong to no node"),
    SLOTS_FAIL("some slots are served by nodes that are down"),
    FAILED_NODES("nodes are flagged failing (fail or fail?)"),
    MASTER_WITHOUT_REPLICA("a master has no replica to fail over to"),
    TOO_FEW_MASTERS("fewer than three masters serve slots: no failover majority to spare"),
    BUS_PORT_UNREACHABLE("a node answers on its client port but not on its cluster bus port");

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
        return RedisCluster.NOTE;
    }
}
