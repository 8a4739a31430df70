package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-drain-readiness, each a section of the note kubernetes/node-maintenance. */
enum DrainCode implements CheckCode {
    DRAIN_BLOCKED_BY_PDB("a PodDisruptionBudget covering pods on the node allows 0 disruptions: the drain waits forever"),
    UNMANAGED_POD("a pod on the node has no controller: a drain refuses it, or deletes it for good with --force"),
    SINGLE_REPLICA_ON_NODE("every ready replica of a workload is on the node: draining it is an outage"),
    LOCAL_DATA_ON_NODE("pods on the node keep data in emptyDir volumes, lost by a drain (--delete-emptydir-data)");

    private final String title;

    DrainCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return DrainReadiness.NOTE;
    }
}
