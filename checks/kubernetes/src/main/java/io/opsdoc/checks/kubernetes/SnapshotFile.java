package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * Reads an etcd snapshot file the way {@code etcdutl snapshot restore} judges it, without opening it as a database:
 * a bbolt file (two meta pages with magic 0xED0CDAED, version 2 and an FNV-64a checksum each) holding at least the
 * pages its newest meta page counts, followed by the 32-byte sha256 of everything before it that
 * {@code etcdctl snapshot save} appends (restore refuses a file whose hash does not match). A copied
 * {@code member/snap/db} has no trailer: then only the bbolt part is checked, and the facts say so.
 */
final class SnapshotFile {
    private static final int MAGIC = 0xED0CDAED;
    private static final int TRAILER = 32;
    private static final int PAGE_HEADER = 16;
    private static final int META_BYTES = 64;

    private SnapshotFile() {
    }

    /**
     * Judges one snapshot in a single pass over {@code in}: the head (both meta pages) is read first and then hashed
     * together with the rest, so over SSH the file crosses the wire once.
     */
    static BackupFacts.Snapshot read(String file, long size, Instant modified, InputStream in, CheckContext context)
            throws ProbeException, IOException {
        byte[] head = in.readNBytes((int) Math.min(size, 2 * 65536 + META_BYTES));
        Meta m0 = meta(head, 0);
        if (m0 == null) {
            return new BackupFacts.Snapshot(file, size, modified, 0, 0, false,
                    size < PAGE_HEADER + META_BYTES ? "only " + size + " bytes: too short for a bbolt file"
                            : "not a bbolt file: no valid meta page at the start (magic, version or checksum wrong)");
        }
        Meta m1 = head.length >= m0.pageSize + PAGE_HEADER + META_BYTES ? meta(head, m0.pageSize) : null;
        Meta newest = m1 != null && m1.txid > m0.txid ? m1 : m0;
        long pages = newest.pages;
        boolean trailer = size >= TRAILER && (size - TRAILER) % m0.pageSize == 0;
        long data = trailer ? size - TRAILER : size;
        if (data < pages * m0.pageSize) {
            return new BackupFacts.Snapshot(file, size, modified, m0.pageSize, pages, false,
                    "truncated: the database counts " + pages + " pages of " + m0.pageSize + " bytes ("
                            + pages * m0.pageSize + " bytes) but the file holds " + data);
        }
        if (!trailer) {
            return new BackupFacts.Snapshot(file, size, modified, m0.pageSize, pages, false,
                    size % m0.pageSize == 0 ? null : "the file ends inside a page (" + size + " bytes, pages of "
                            + m0.pageSize + ") and carries no sha256 trailer: cut off while it was written");
        }
        byte[] expected = new byte[TRAILER];
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // the head may reach into the trailer when the file is small: hash only its data part
        int headData = (int) Math.min(head.length, data);
        sha.update(head, 0, headData);
        int trailerInHead = head.length - headData;
        System.arraycopy(head, headData, expected, 0, trailerInHead);
        byte[] buf = new byte[1 << 20];
        long left = data - headData;
        while (left > 0) {
            if (Instant.now().isAfter(context.deadline())) {
                throw new ProbeException(ProbeErrors.TIMEOUT, "the deadline passed while hashing " + file + " ("
                        + size + " bytes, " + (data - left) + " read): give the check a longer --timeout");
            }
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(file + " became shorter while it was read");
            }
            sha.update(buf, 0, n);
            left -= n;
        }
        if (in.readNBytes(expected, trailerInHead, TRAILER - trailerInHead) != TRAILER - trailerInHead) {
            throw new IOException(file + " became shorter while it was read");
        }
        boolean match = MessageDigest.isEqual(sha.digest(), expected);
        return new BackupFacts.Snapshot(file, size, modified, m0.pageSize, pages, true, match ? null
                : "the sha256 trailer does not match the contents: the file was changed or damaged after "
                        + "etcdctl snapshot save wrote it (etcdutl snapshot restore refuses it)");
    }

    private record Meta(int pageSize, long pages, long txid) {
    }

    /** The meta page at {@code offset}, or null when its magic, version or checksum is wrong. */
    private static Meta meta(byte[] b, int offset) {
        int at = offset + PAGE_HEADER;
        if (b.length < at + META_BYTES) {
            return null;
        }
        ByteBuffer m = ByteBuffer.wrap(b, at, META_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int magic = m.getInt(at);
        int version = m.getInt(at + 4);
        int pageSize = m.getInt(at + 8);
        long pages = m.getLong(at + 40);
        long txid = m.getLong(at + 48);
        long checksum = m.getLong(at + 56);
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < 56; i++) {
            h ^= b[at + i] & 0xff;
            h *= 0x100000001b3L;
        }
        if (magic != MAGIC || version != 2 || h != checksum || pageSize < 512 || Integer.bitCount(pageSize) != 1) {
            return null;
        }
        return new Meta(pageSize, pages, txid);
    }
}
