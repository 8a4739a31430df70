package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-hpa, each a section of the note kubernetes/autoscaling. */
enum HpaCode implements CheckCode {
    HPA_MAXED_OUT("an HPA has run at maxReplicas (ScalingLimited, TooManyReplicas) for longer than maxed-for"),
    HPA_CANNOT_SCALE("an HPA cannot read or change its target's scale (AbleToScale=False)"),
    HPA_METRICS_UNAVAILABLE("an HPA cannot compute a replica count: its metrics are missing (ScalingActive=False)"),
    HPA_MIN_EQUALS_MAX("an HPA's minReplicas equals maxReplicas: it can never scale");

    private final String title;

    HpaCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return HpaStatus.NOTE;
    }
}
