package io.opsdoc.checks.mysql;

import java.util.List;

/**
 * What {@code mysql-backup-freshness} reads from the file system, unchanged.
 *
 * @param pattern     the glob as given
 * @param readAtMillis when the files were listed (epoch ms): ages are computed against it, so evaluation is pure
 * @param newest      the newest matching regular files by modification time, newest first (at most two: the newest
 *                    and the one it is compared with)
 * @param matched     how many regular files matched
 * @param gzip        the newest file's gzip test; null when it is no gzip file (no 1f 8b magic) or empty
 */
public record BackupFacts(String pattern, long readAtMillis, List<BackupFile> newest, int matched, GzipTest gzip) {

    /** @param modifiedMillis mtime, epoch ms */
    public record BackupFile(String path, long bytes, long modifiedMillis) {
    }

    /**
     * The whole gzip stream read through (every member, CRC and length checked by the JDK's inflater).
     *
     * @param intact            true when the stream ended where the file ended, with valid trailers
     * @param error             what broke it: "unexpected end of file" for a truncated file, the inflater's message else
     * @param uncompressedBytes how much decompressed before the end or the error
     */
    public record GzipTest(boolean intact, String error, long uncompressedBytes) {
    }
}
