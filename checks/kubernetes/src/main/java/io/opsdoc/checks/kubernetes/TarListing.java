package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Lists the entry names of a backup archive (tar, or tar inside gzip) in one pass over the stream, and says whether
 * the archive is whole: every header's checksum right, every member's data present, tar's end-of-archive blocks
 * there and, for gzip, the CRC and length trailer matching. Entry names only: the contents (private keys) are
 * skipped, never kept. Handles what GNU tar and bsdtar write for long names (ustar prefix, GNU 'L', pax 'path').
 * Written by hand rather than with commons-compress: names and structure are all the check needs (~150 lines),
 * and the CLI's class path stays without commons-compress, commons-io and commons-lang3.
 */
final class TarListing {
    static final int MAX_ENTRIES = 10_000;
    private static final int BLOCK = 512;

    /**
     * @param format "tar.gz", "tar", or what else the file starts with (then nothing is read: encrypted or another
     *               compression, judged by presence, age and size only)
     * @param entries entry names as stored, "./" and "/" stripped; at most {@value #MAX_ENTRIES}
     * @param problem null when the archive is whole
     */
    record Listing(String format, boolean read, List<String> entries, String problem) {
    }

    private TarListing() {
    }

    static Listing read(String file, long size, InputStream raw, CheckContext context) throws ProbeException,
            IOException {
        if (size == 0) {
            return new Listing("empty", false, List.of(), "the file is empty (0 bytes)");
        }
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(BLOCK);
        byte[] head = in.readNBytes(BLOCK);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            try (InputStream gz = new GZIPInputStream(in, 64 * 1024)) {
                return tar("tar.gz", file, gz, context);
            } catch (ZipException | EOFException e) {
                // GZIPInputStream reports a cut-off stream as EOFException and a bad CRC or header as ZipException
                return new Listing("tar.gz", true, List.of(), "the gzip stream is damaged or cut off ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        if (head.length == BLOCK && ascii(head, 257, 5).equals("ustar")) {
            return tar("tar", file, in, context);
        }
        return new Listing(kind(head), false, List.of(), null);
    }

    private static Listing tar(String format, String file, InputStream in, CheckContext context) throws IOException,
            ProbeException {
        List<String> entries = new ArrayList<>();
        String longName = null;
        byte[] h = new byte[BLOCK];
        while (true) {
            deadline(file, context);
            int n = in.readNBytes(h, 0, BLOCK);
            if (n == 0 && entries.isEmpty()) {
                return new Listing(format, true, List.of(), "no tar data inside (not an archive, or written empty)");
            }
            if (n < BLOCK) {
                return new Listing(format, true, entries, "truncated: the archive ends after " + entries.size()
                        + " entries without tar's end-of-archive blocks");
            }
            if (zero(h)) {
                drain(file, in, context); // the rest is padding; reading it to the end lets gzip check its trailer
                return new Listing(format, true, entries, entries.isEmpty() ? "the archive holds no entries" : null);
            }
            if (!checksumOk(h)) {
                return new Listing(format, true, entries, "a tar header's checksum is wrong after " + entries.size()
                        + " entries: not a tar archive, or damaged");
            }
            long size = number(h, 124, 12);
            char type = (char) h[156];
            if (size < 0) {
                return new Listing(format, true, entries, "a tar header has an unreadable size after "
                        + entries.size() + " entries");
            }
            byte[] data = null;
            if (type == 'L' || type == 'x') {
                data = in.readNBytes((int) Math.min(size, 1 << 20));
                if (data.length < Math.min(size, 1 << 20)) {
                    return truncated(format, entries);
                }
                if (skip(in, size - data.length + pad(size)) < size - data.length + pad(size)) {
                    return truncated(format, entries);
                }
            } else if (type != '5' && type != '1' && type != '2' && skip(in, size + pad(size)) < size + pad(size)) {
                return truncated(format, entries); // directories and links carry no data
            }
            if (type == 'L') {
                longName = ascii(data, 0, data.length);
                continue;
            }
            if (type == 'x') {
                String path = paxPath(data);
                longName = path != null ? path : longName;
                continue;
            }
            if (type == 'g') {
                continue;
            }
            String name = longName != null ? longName : ustarName(h);
            longName = null;
            if (entries.size() < MAX_ENTRIES) {
                entries.add(normalize(name));
            }
        }
    }

    private static Listing truncated(String format, List<String> entries) {
        return new Listing(format, true, entries, "truncated: member data ends early after " + entries.size()
                + " entries (the archive was cut off while written or copied)");
    }

    private static void drain(String file, InputStream in, CheckContext context) throws IOException, ProbeException {
        byte[] buf = new byte[64 * 1024];
        while (in.read(buf) >= 0) {
            deadline(file, context);
        }
    }

    private static long skip(InputStream in, long n) throws IOException {
        long left = n;
        byte[] buf = new byte[8192];
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    private static void deadline(String file, CheckContext context) throws ProbeException {
        if (Instant.now().isAfter(context.deadline())) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "the deadline passed while reading " + file
                    + ": give the check a longer --timeout");
        }
    }

    private static long pad(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean zero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** The header checksum: the unsigned sum of the block with the checksum field read as spaces. */
    private static boolean checksumOk(byte[] h) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        return number(h, 148, 8) == sum;
    }

    /** An octal field (NUL/space terminated), or GNU's base-256 form for large sizes; -1 when unreadable. */
    private static long number(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = ascii(h, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String ustarName(byte[] h) {
        String name = ascii(h, 0, 100);
        String prefix = ascii(h, 257, 5).equals("ustar") ? ascii(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a pax extended header ("LEN path=VALUE\n" records). */
    private static String paxPath(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        for (String line : s.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) {
                return line.substring(sp + 6);
            }
        }
        return null;
    }

    static String normalize(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.substring(n.startsWith("./") ? 2 : 1);
        }
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private static String ascii(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** What a file that is neither tar nor gzip starts with, for the evidence. */
    private static String kind(byte[] head) {
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return "zstd";
        }
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return "bzip2";
        }
        if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z') {
            return "xz";
        }
        if (head.length >= 21 && ascii(head, 0, 21).startsWith("age-encryption.org")) {
            return "age";
        }
        if (head.length >= 2 && ((head[0] & 0xff) == 0x85 || (head[0] & 0xff) == 0x8c || (head[0] & 0xff) == 0xc1
                || ascii(head, 0, Math.min(head.length, 27)).startsWith("-----BEGIN PGP MESSAGE"))) {
            return "gpg";
        }
        return "unknown";
    }
}
