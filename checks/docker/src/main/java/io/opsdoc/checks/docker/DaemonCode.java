package io.opsdoc.checks.docker;

import io.opsdoc.core.CheckCode;

/** The finding codes of docker-daemon, each a section of the note docker/container-basics. */
enum DaemonCode implements CheckCode {
    DAEMON_WARNINGS("docker info lists warnings; an API on TCP without TLS (root for anyone who reaches it) is critical"),
    STORAGE_DRIVER_UNEXPECTED("the storage driver is not the expected one (vfs copies every layer in full; devicemapper loop is slow)");

    private final String title;

    DaemonCode(String title) {
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
