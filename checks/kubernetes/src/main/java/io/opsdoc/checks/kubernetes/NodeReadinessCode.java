package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-node-notready, each a section of the note kubernetes/node-notready. */
enum NodeReadinessCode implements CheckCode {
    NODE_UNKNOWN("the kubelet stopped reporting: Ready=Unknown"),
    NODE_NOT_READY("the kubelet reports the node not ready: Ready=False"),
    LEASE_STALE("the node Lease is older than the grace period, yet the node is not Unknown"),
    EVICTION_SCHEDULED("pods will be evicted from the node when their toleration ends"),
    PODS_EVICTING("the eviction time has passed and pods are still bound to the node"),
    NODE_PRESSURE("memory, disk or PID pressure on the node"),
    NETWORK_UNAVAILABLE("the node's pod network is not configured"),
    NODE_CORDONED("the node is cordoned (unschedulable)"),
    KUBELET_VERSION_SKEW("the kubelet version is outside the supported skew"),
    READY_FLAPPING("the node's Ready condition changed more often than flap-transitions within flap-window"),
    KUBELET_INACTIVE("no kubelet process runs on the host named by kubelet-host");

    private final String title;

    NodeReadinessCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return NodeReadiness.NOTE;
    }
}
