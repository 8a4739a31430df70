package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-workloads, each a section of the note kubernetes/workloads. */
enum WorkloadCode implements CheckCode {
    NO_REPLICAS_AVAILABLE("a workload wants replicas and has none available"),
    REPLICAS_BELOW_DESIRED("fewer replicas available than desired"),
    CRASH_LOOP("containers waiting in CrashLoopBackOff"),
    RESTARTING_OFTEN("containers restarted more than the threshold, the last time recently"),
    IMAGE_PULL_FAILING("the image cannot be pulled (ImagePullBackOff, ErrImagePull)"),
    UNSCHEDULABLE("pods Pending because no node can take them"),
    OOM_KILLED("containers killed for exceeding their memory limit"),
    BESTEFFORT_POD("pods with no requests or limits (QoS BestEffort)"),
    PROBES_MISSING("a serving container has no readiness or liveness probe"),
    NO_MEMORY_LIMIT("a workload's container declares resources but no memory limit"),
    STARTUP_PROBE_FAILING("a container with a startup probe has never started: the probe has not succeeded and the kubelet keeps restarting it"),
    CRITICAL_WORKLOAD_NOT_GUARANTEED("pods matching critical-selector are not QoS Guaranteed"),
    STUCK_CREATING("pods bound to a node stay in ContainerCreating longer than creating-timeout (sandbox, network or volume setup failing)");

    private final String title;

    WorkloadCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return WorkloadHealth.NOTE;
    }
}
