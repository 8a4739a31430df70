package io.opsdoc.checks.host;

import java.util.List;

/**
 * What linux-inodes read: {@code df -P -T -i} per mounted file system.
 *
 * @param requested the paths of {@code --set mounts=}, empty for every mounted file system
 */
public record InodeFacts(List<String> requested, List<Inodes> filesystems) {

    /** Inode counts of one file system; a file system without a fixed inode table (btrfs, vfat) reports 0 total. */
    public record Inodes(String device, String type, String mountPoint, long total, long used, long free) {
        double usedPercent() {
            long denominator = used + free;
            return denominator <= 0 ? 0 : 100.0 * used / denominator;
        }
    }
}
