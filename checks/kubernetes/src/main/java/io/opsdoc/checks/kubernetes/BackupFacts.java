package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * What {@code k8s-etcd-backup} found: how many files match the path's glob and the newest of them, with what
 * {@link SnapshotFile} says of its contents.
 *
 * @param newest null when no file matches
 * @param files the PKI and configuration backups looked at (only those whose parameter is set)
 */
public record BackupFacts(String pattern, Instant observedAt, int matching, Snapshot newest, List<FilesBackup> files) {

    public BackupFacts {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /**
     * @param problem null when the file is a whole snapshot; else what is wrong with it
     * @param hashChecked whether the file carries etcd's sha256 trailer (snapshot save writes one; a copied
     *                    member/snap/db has none) and it was compared
     */
    public record Snapshot(String path, long sizeBytes, Instant modified, int pageSize, long pages, boolean hashChecked,
            String problem) {
    }

    /**
     * The newest archive matching one of pki-backup / config-backup.
     *
     * @param kind "pki" or "config"
     * @param path null when nothing matches
     * @param format tar.gz, tar, or what else the file is (zstd, gpg, age, unknown: contents not read)
     * @param read whether its entries were listed
     * @param entries entry names ("./" stripped), at most {@link TarListing#MAX_ENTRIES}
     * @param problem null when the archive is whole (or was not read); else what is wrong with it
     */
    public record FilesBackup(String kind, String pattern, int matching, String path, long sizeBytes, Instant modified,
            String format, boolean read, List<String> entries, String problem) {
    }
}
