package io.opsdoc.checks.host;

import java.util.List;

/**
 * What linux-disk read: the file systems as {@code df -P -T -k} printed them, which of them are mounted read-only,
 * and the deleted-but-open files ({@code null} when the transport does not look, i.e. over SSH).
 *
 * @param requested the paths of {@code --set mounts=}, empty for every mounted file system
 */
public record DiskFacts(String transport, List<String> requested, List<Filesystem> filesystems,
        List<HostReader.DeletedFile> deletedOpenFiles) {

    /** One mounted file system, sizes in KiB as df prints them with -k. */
    public record Filesystem(String device, String type, String mountPoint, long sizeKib, long usedKib, long availKib,
            boolean readOnly) {

        /** Used share as df computes Use%: used / (used + available), so blocks reserved for root count as full. */
        double usedPercent() {
            long denominator = usedKib + availKib;
            return denominator <= 0 ? 0 : 100.0 * usedKib / denominator;
        }
    }
}
