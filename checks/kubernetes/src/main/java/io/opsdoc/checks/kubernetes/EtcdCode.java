package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-etcd, each a section of the note kubernetes/etcd. */
enum EtcdCode implements CheckCode {
    ETCD_NO_LEADER("a reachable member has no leader: the cluster accepts no writes"),
    ETCD_MEMBER_DOWN("a member of the member list does not answer"),
    ETCD_ALARM("an alarm is raised (NOSPACE, CORRUPT)"),
    ETCD_DB_NEAR_QUOTA("the backend database is near its quota (--quota-backend-bytes)"),
    ETCD_DB_FRAGMENTED("most of the backend file is free pages a defragmentation would give back"),
    ETCD_RAFT_LAGGING("a member's raft log is far behind the leader's, or it applies far behind what it has committed"),
    ETCD_EVEN_MEMBERS("the member list has an even number of voting members: no more failure tolerance than one fewer"),
    ETCD_LEADER_CHURN("the leader keeps changing (leader changes per 15 minutes)"),
    ETCD_SLOW_DISK("WAL fsync or backend commit p99 is too slow for etcd");

    private final String title;

    EtcdCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return EtcdHealth.NOTE;
    }
}
