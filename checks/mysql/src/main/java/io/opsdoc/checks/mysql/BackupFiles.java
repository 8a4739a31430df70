package io.opsdoc.checks.mysql;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FileGlob;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The I/O of mysql-backup-freshness through the host transport ({@code local:} or {@code ssh://}): the files a
 * {@link FileGlob} matches, and the newest one's gzip stream read to its end within the deadline. The facts are the
 * same for both transports.
 */
final class BackupFiles {
    private static final int CHUNK = 64 * 1024;
    static final String GRANTS_HINT = "run 'opsdoc grants mysql-backup-freshness'";

    private BackupFiles() {
    }

    static BackupFacts collect(CheckContext context, String pattern) throws Exception {
        FileGlob glob = FileGlob.parse("files", pattern);
        return HostAccess.with(context, host -> {
            long now = System.currentTimeMillis();
            List<FileGlob.Match> files = host.files(glob, GRANTS_HINT);
            List<BackupFacts.BackupFile> newest = files.stream().limit(2)
                    .map(m -> new BackupFacts.BackupFile(m.path().toString(), m.bytes(), m.modifiedMillis())).toList();
            BackupFacts.GzipTest gzip = null;
            if (!newest.isEmpty() && newest.get(0).bytes() > 0) {
                String path = newest.get(0).path();
                gzip = host.stream(path, in -> testGzip(in, path, context));
            }
            return new BackupFacts(pattern, now, newest, files.size(), gzip);
        });
    }

    /**
     * Decompresses the stream to its end, counting the bytes; null when it does not start with the gzip magic bytes
     * (a plain .sql dump has no stream to test, and is not read further).
     */
    static BackupFacts.GzipTest testGzip(InputStream raw, String file, CheckContext context) throws ProbeException,
            IOException {
        BufferedInputStream in = new BufferedInputStream(raw, CHUNK);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        if (b0 != 0x1f || b1 != 0x8b) {
            return null;
        }
        in.reset();
        long total = 0;
        try (InputStream gz = new GZIPInputStream(in, CHUNK)) {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = gz.read(buf)) >= 0; ) {
                total += n;
                if (context.remaining().toMillis() <= 1) {
                    throw new ProbeException(ProbeErrors.TIMEOUT, "the deadline passed after decompressing " + total
                            + " bytes of " + file + "; give a longer --timeout for large backups");
                }
            }
            return new BackupFacts.GzipTest(true, null, total);
        } catch (EOFException e) {
            return new BackupFacts.GzipTest(false, "unexpected end of file", total);
        } catch (ZipException e) {
            return new BackupFacts.GzipTest(false, String.valueOf(e.getMessage()), total);
        }
    }
}
