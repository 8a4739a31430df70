package io.opsdoc.checks.docker;

import java.util.List;

/**
 * {@code /system/df} reduced to sizes (bytes; -1 where the daemon did not compute one) and the dangling volumes; and
 * the file system holding DockerRootDir as statvfs sees it, when the daemon runs on this host (else the root fields
 * are null and {@code rootFsNote} says why).
 */
public record StorageFacts(String endpoint, long layersSize, long imagesTotal, long unusedImages, long unusedImagesBytes,
        long volumesTotal, long volumesBytes, long buildCacheBytes, long buildCacheReclaimableBytes,
        long stoppedContainersRwBytes, List<Volume> dangling, String rootDir, Long rootFsTotalBytes,
        Long rootFsUsedBytes, Long rootFsAvailableBytes, String rootFsNote) {

    /** A volume no container uses: name, driver, mountpoint, size (-1 unknown), creation time. */
    public record Volume(String name, String driver, String mountpoint, long size, String createdAt) {
    }
}
