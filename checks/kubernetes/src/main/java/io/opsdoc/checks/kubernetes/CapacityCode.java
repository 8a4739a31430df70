package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-capacity, each a section of the note kubernetes/capacity. */
enum CapacityCode implements CheckCode {
    REQUESTS_HIGH("requested CPU or memory near what the schedulable nodes can allocate"),
    CANNOT_LOSE_A_NODE("the pods would not fit on the remaining nodes if the largest node failed"),
    NO_ROOM_FOR_REPLICA("one more replica of the workload with the largest pods fits on no node"),
    QUOTA_NEAR_LIMIT("a namespace has used quota-warning or more of a ResourceQuota limit"),
    QUOTA_FULL("a namespace has used all of a ResourceQuota limit: new objects needing it are refused"),
    QUOTA_EXCEEDED("a namespace uses more than a ResourceQuota limit (the limit was lowered below the usage)"),
    NODE_PODS_NEAR_CAPACITY("a node runs pods-warning or more of the pods it can hold (its allocatable pods, the kubelet's max-pods)");

    private final String title;

    CapacityCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return ClusterCapacity.NOTE;
    }
}
