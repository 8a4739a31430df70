package io.opsdoc.checks.kubernetes;

import java.time.Instant;

/**
 * What {@code k8s-etcd-backup} found: how many files match the path's glob and the newest of them, with what
 * {@link SnapshotFile} says of its contents.
 *
 * @param newest null when no file matches
 */
public record BackupFacts(String pattern, Instant observedAt, int matching, Snapshot newest) {

    /**
     * @param problem null when the file is a whole snapshot; else what is wrong with it
     * @param hashChecked whether the file carries etcd's sha256 trailer (snapshot save writes one; a copied
     *                    member/snap/db has none) and it was compared
     */
    public record Snapshot(String path, long sizeBytes, Instant modified, int pageSize, long pages, boolean hashChecked,
            String problem) {
    }
}
