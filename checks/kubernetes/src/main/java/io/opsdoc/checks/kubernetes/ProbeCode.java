package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-pod-probes, each a section of the note kubernetes/pod-lifecycle. */
enum ProbeCode implements CheckCode {
    NO_READINESS_PROBE("a container that serves on a port has no readiness probe"),
    NO_LIVENESS_PROBE("a container that serves on a port has no liveness probe"),
    LIVENESS_SAME_AS_READINESS("the liveness probe is the readiness probe: same check, same timing"),
    LIVENESS_TOO_AGGRESSIVE("the liveness probe restarts the container after less than liveness-min-window of failures");

    private final String title;

    ProbeCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return PodProbes.NOTE;
    }
}
