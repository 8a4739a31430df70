package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FileGlob;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The I/O of mysql-backup-freshness on this machine: the files a {@link FileGlob} matches, and the newest one's gzip
 * stream read to its end within the deadline.
 */
final class BackupFiles {
    private static final int CHUNK = 64 * 1024;

    private BackupFiles() {
    }

    static BackupFacts collect(CheckContext context, String pattern) throws ProbeException {
        long now = System.currentTimeMillis();
        List<FileGlob.Match> files = FileGlob.parse("files", pattern).newestFirst("run 'opsdoc grants mysql-backup-freshness'");
        List<BackupFacts.BackupFile> newest = files.stream().limit(2)
                .map(m -> new BackupFacts.BackupFile(m.path().toString(), m.bytes(), m.modifiedMillis())).toList();
        BackupFacts.GzipTest gzip = newest.isEmpty() || newest.get(0).bytes() == 0 ? null
                : testGzip(Path.of(newest.get(0).path()), context);
        return new BackupFacts(pattern, now, newest, files.size(), gzip);
    }

    /** Null when the file does not start with the gzip magic bytes (a plain .sql dump has no stream to test). */
    static BackupFacts.GzipTest testGzip(Path file, CheckContext context) throws ProbeException {
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] magic = raw.readNBytes(2);
            if (magic.length < 2 || (magic[0] & 0xff) != 0x1f || (magic[1] & 0xff) != 0x8b) {
                return null;
            }
        } catch (AccessDeniedException e) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        long total = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), CHUNK)) {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.read(buf)) >= 0; ) {
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
        } catch (IOException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
