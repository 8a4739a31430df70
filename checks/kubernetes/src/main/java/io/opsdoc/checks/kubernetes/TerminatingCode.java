package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-pod-terminating, each a section of the note kubernetes/pod-lifecycle. */
enum TerminatingCode implements CheckCode {
    STUCK_TERMINATING("pods still Terminating past their grace period on a Ready node: the kubelet cannot finish"),
    FINALIZER_BLOCKING("pods past their grace period held by finalizers nobody removes"),
    NODE_GONE("pods Terminating on a node that is not Ready or no longer exists: no kubelet can confirm");

    private final String title;

    TerminatingCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return PodTermination.NOTE;
    }
}
