package io.opsdoc.checks.docker;

import io.opsdoc.core.CheckCode;

/** The finding codes of docker-storage, each a section of the note docker/storage-volumes. */
enum StorageCode implements CheckCode {
    DOCKER_ROOT_FILLING("the file system holding Docker's data root is above root-warning / root-critical"),
    DANGLING_VOLUMES("volumes no container references (left by docker rm without -v, or by anonymous VOLUMEs)"),
    RECLAIMABLE_SPACE_HIGH("unused images, dangling volumes, stopped containers and build cache hold more than reclaimable-warning");

    private final String title;

    StorageCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return DockerStorage.NOTE;
    }
}
