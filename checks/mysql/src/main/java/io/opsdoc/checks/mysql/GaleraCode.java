package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-galera, each a section of the note mysql/galera. */
enum GaleraCode implements CheckCode {
    NON_PRIMARY_COMPONENT("the node is in a non-Primary component: it lost quorum and refuses queries"),
    NODE_NOT_READY("the node does not accept queries (wsrep_ready or wsrep_connected OFF)"),
    NODE_NOT_SYNCED("the node is not Synced (joining, donor or desynced)"),
    CLUSTER_SHRUNK("the cluster has fewer nodes than expected"),
    FLOW_CONTROL_PAUSED("replication was paused by flow control for much of the window"),
    CERTIFICATION_CONFLICTS("transactions of this node failed certification (conflicting writes on several nodes)"),
    RECV_QUEUE_HIGH("many write-sets wait to be applied on this node"),
    DONOR_FALLING_BEHIND("a donor or desynced node's receive queue is long and not shrinking: it falls behind the cluster"),
    SPLIT_VIEW("this node and its listed peers are in two or more Primary components at once (split brain)");

    private final String title;

    GaleraCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlGalera.NOTE;
    }
}
