package io.opsdoc.checks.docker;

import io.opsdoc.core.CheckCode;

/** The finding codes of dockerfile-lint, each a section of the note docker/dockerfile. */
enum DockerfileCode implements CheckCode {
    LATEST_BASE_IMAGE("FROM an image without a tag or with :latest: the build changes under you (hadolint DL3006, DL3007)"),
    RUNS_AS_ROOT("the final stage sets no USER, or sets root: the process runs as root in the container (hadolint DL3002)"),
    ADD_INSTEAD_OF_COPY("ADD of a local file or directory where COPY says the same without ADD's extraction magic (hadolint DL3020)"),
    LAYER_DELETE_INEFFECTIVE("a RUN deletes files an earlier layer added: the image does not get smaller"),
    RUNS_NOT_MERGED("consecutive RUN instructions that could be one layer (hadolint DL3059)"),
    ENTRYPOINT_WITHOUT_EXEC("the entrypoint script does not end with exec \"$@\": CMD never becomes PID 1 and misses signals");

    private final String title;

    DockerfileCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return DockerfileLint.NOTE;
    }
}
