package io.opsdoc.checks.docker;

import io.opsdoc.core.CheckCode;

/** The finding codes of docker-api-exposure, a section of the note docker/container-basics. */
enum ExposureCode implements CheckCode {
    DOCKER_API_UNAUTHENTICATED_TCP("dockerd listens on TCP without TLS: anyone who reaches the port is root on the host"),
    DOCKER_API_TLS_WITHOUT_VERIFY("dockerd listens on TCP with TLS but without --tlsverify: encrypted, and still open to every client");

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
