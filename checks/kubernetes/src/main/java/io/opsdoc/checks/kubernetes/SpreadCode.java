package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-replica-spread, each a section of the note kubernetes/replica-spread. */
enum SpreadCode implements CheckCode {
    ALL_REPLICAS_ON_ONE_NODE("every ready replica of a replicated workload runs on the same node"),
    ALL_REPLICAS_IN_ONE_ZONE("every ready replica of a replicated workload runs in the same zone of a multi-zone cluster"),
    NO_ANTI_AFFINITY("a replicated workload's pod template has neither podAntiAffinity nor topologySpreadConstraints");

    private final String title;

    SpreadCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return ReplicaSpread.NOTE;
    }
}
