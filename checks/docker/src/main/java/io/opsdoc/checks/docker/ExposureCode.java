package io.opsdoc.checks.docker;

import io.opsdoc.core.CheckCode;

/** The finding codes of docker-api-exposure, a section of the note docker/container-basics. */
enum ExposureCode implements CheckCode {
    DOCKER_API_UNAUTHENTICATED_TCP("dockerd listens on TCP without --tlsverify: anyone who reaches the port is root on the host");

    private final String title;

    ExposureCode(String title) {
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
