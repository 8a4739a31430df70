package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-rollout-safety, each a section of the note kubernetes/rollouts. */
enum RolloutCode implements CheckCode {
    RECREATE_STRATEGY("the Deployment uses the Recreate strategy: every rollout stops all old pods before starting new ones"),
    NO_READINESS_PROBE("a rolling update counts new pods available as soon as they start: no readiness probe, no minReadySeconds"),
    MAX_UNAVAILABLE_ALL("maxUnavailable lets a rolling update take every replica down at once"),
    SINGLE_REPLICA("the Deployment runs one replica: every rollout, eviction or node drain is an outage"),
    PROGRESS_DEADLINE_LONG("progressDeadlineSeconds is so long that a stuck rollout is reported hours late or never");

    private final String title;

    RolloutCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return RolloutSafety.NOTE;
    }
}
