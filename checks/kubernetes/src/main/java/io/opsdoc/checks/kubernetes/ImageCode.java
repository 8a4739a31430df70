package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-image-policy, each a section of the note kubernetes/image-policy. */
enum ImageCode implements CheckCode {
    LATEST_TAG("a container runs an image tagged :latest or without a tag: which build runs depends on when each node pulled"),
    UNPINNED_IMAGE("images referenced by tag only, without a digest: a re-pushed tag changes what runs"),
    PULL_POLICY_NEVER("imagePullPolicy Never: a pod placed on a node without the image cannot start");

    private final String title;

    ImageCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return ImagePolicy.NOTE;
    }
}
