package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * What {@code k8s-capacity} reads: each node's allocatable resources and schedulability, the resource requests of
 * every pod bound to a node, and the pod template requests of each Deployment and StatefulSet. Quantities stay as
 * the API wrote them ({@code 250m}, {@code 512Mi}) and are parsed during evaluation.
 */
public record CapacityFacts(Instant observedAt, ServerVersion server, List<NodeCapacity> nodes, List<PodRequests> pods,
        List<WorkloadRequests> workloads, List<QuotaUsage> quotas) {

    /** One resource of a ResourceQuota's status as the quota controller wrote it: {@code used} of {@code hard}. */
    public record QuotaUsage(String namespace, String quota, String resource, String hard, String used) {
    }

    /** @param blockingTaints keys of NoSchedule / NoExecute taints: a pod without a toleration cannot land there */
    public record NodeCapacity(String name, boolean ready, boolean unschedulable, List<String> blockingTaints,
            String allocatableCpu, String allocatableMemory, String allocatablePods) {
    }

    public record ContainerRequests(String name, String cpu, String memory) {
    }

    public record PodRequests(String namespace, String name, String nodeName, String phase,
            List<ContainerRequests> containers, List<ContainerRequests> initContainers, String overheadCpu,
            String overheadMemory) {
    }

    /** @param kind Deployment or StatefulSet */
    public record WorkloadRequests(String kind, String namespace, String name, int replicas,
            List<ContainerRequests> containers, List<ContainerRequests> initContainers) {
    }
}
