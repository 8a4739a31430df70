package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code k8s-workloads} reads, as plain values: Deployments, StatefulSets and DaemonSets (desired versus
 * ready and available replicas, rollout conditions, the pod template's containers), and every pod (phase, QoS class,
 * conditions, container specs and states). {@code observedAt} is when the lists were read; ages come from it.
 *
 * @param namespace the namespace looked at, or empty for all
 */
public record WorkloadFacts(Instant observedAt, ServerVersion server, String namespace, List<Workload> workloads,
        List<PodState> pods) {

    /**
     * @param kind      Deployment, StatefulSet or DaemonSet
     * @param desired   spec.replicas (DaemonSet: status.desiredNumberScheduled)
     * @param available status.availableReplicas (DaemonSet: numberAvailable); null when the server omits it (0)
     */
    public record Workload(String kind, String namespace, String name, int desired, Integer ready, Integer available,
            Integer updated, Long generation, Long observedGeneration, List<Cond> conditions, List<ContainerSpec> containers) {

        public Cond condition(String type) {
            return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
        }

        public String key() {
            return namespace + "/" + kind + "/" + name;
        }
    }

    public record Cond(String type, String status, String reason, String message, Instant lastTransitionTime) {
    }

    /** A container as declared; {@code name} is prefixed {@code init:} for init containers. */
    public record ContainerSpec(String name, String image, String imagePullPolicy, Map<String, String> requests,
            Map<String, String> limits, boolean readinessProbe, boolean livenessProbe, boolean startupProbe,
            List<Integer> ports) {
    }

    /**
     * @param ownerKind the controlling workload: Deployment (resolved from its ReplicaSet through pod-template-hash),
     *                  StatefulSet, DaemonSet, Job, ReplicaSet, ... or null for a bare pod
     * @param critical  its labels match the critical-selector parameter (matched while listing, so that 50,000 pods'
     *                  labels are not kept)
     */
    public record PodState(String namespace, String name, String ownerKind, String ownerName, String phase, String qosClass,
            String nodeName, Instant created, boolean terminating, List<Cond> conditions, List<ContainerSpec> containers,
            List<ContainerState> statuses, boolean critical) {

        public Cond condition(String type) {
            return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
        }

        public ContainerSpec spec(String container) {
            return containers == null ? null : containers.stream().filter(c -> container.equals(c.name())).findFirst().orElse(null);
        }

        /** {@code ns/Kind/name} of the workload it belongs to, or {@code ns/Pod/name} for a bare pod. */
        public String workloadKey() {
            return ownerKind == null ? namespace + "/Pod/" + name : namespace + "/" + ownerKind + "/" + ownerName;
        }
    }

    /**
     * A container's status: the current state (waiting / terminated reason), the last termination, and
     * {@code started} (false until its startup probe has succeeded; null when the server omits it).
     */
    public record ContainerState(String name, String image, boolean ready, int restartCount, String waitingReason,
            String waitingMessage, String terminatedReason, Integer terminatedExitCode, String lastTerminatedReason,
            Integer lastExitCode, Instant lastFinishedAt, Boolean started, Instant runningSince) {
    }
}
