package io.opsdoc.checks.docker;

import io.opsdoc.core.CheckCode;

/** The finding codes of docker-container-health, each a section of the note docker/container-basics. */
enum ContainerCode implements CheckCode {
    UNHEALTHY("the container's HEALTHCHECK failed retries times in a row: Docker marks it unhealthy (and does not restart it)"),
    RESTARTING("the container is in a restart loop: restarting, or its RestartCount rose during the window"),
    OOM_KILLED("the container's last run ended because the kernel OOM killer hit its memory limit (exit 137, OOMKilled)"),
    EXITED_NONZERO("the container stopped with a non-zero exit code and stays stopped"),
    NO_HEALTHCHECK("running containers without a HEALTHCHECK: Docker only knows their PID 1 is alive");

    private final String title;

    ContainerCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return DockerDaemon.NOTE;
    }
}
