package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The I/O of mysql-backup-freshness on this machine: list the files a glob matches in one directory (the glob's last
 * segment; the directory part must be literal), and read the newest one's gzip stream to its end within the deadline.
 */
final class BackupFiles {
    private static final int CHUNK = 64 * 1024;

    private BackupFiles() {
    }

    static BackupFacts collect(CheckContext context, String pattern) throws ProbeException {
        Path glob = Path.of(pattern);
        Path dir = glob.getParent() == null ? Path.of(".") : glob.getParent();
        if (dir.toString().matches(".*[*?\\[{].*")) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "files: only the file name may hold wildcards ("
                    + pattern + "); name the backup directory literally");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.getFileName());
        long now = System.currentTimeMillis();
        List<BackupFacts.BackupFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!matcher.matches(p.getFileName())) {
                    continue;
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                }
                if (a.isRegularFile()) {
                    files.add(new BackupFacts.BackupFile(p.toString(), a.size(), a.lastModifiedTime().toMillis()));
                }
            }
        } catch (NoSuchFileException e) {
            return new BackupFacts(pattern, now, List.of(), 0, null); // no directory: no backup, judged by evaluate
        } catch (AccessDeniedException e) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "cannot list " + dir + ": permission denied "
                    + "(run 'opsdoc grants mysql-backup-freshness')");
        } catch (IOException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot list " + dir + ": " + e.getClass().getSimpleName());
        }
        files.sort(Comparator.comparingLong(BackupFacts.BackupFile::modifiedMillis).reversed()
                .thenComparing(BackupFacts.BackupFile::path));
        List<BackupFacts.BackupFile> newest = List.copyOf(files.subList(0, Math.min(2, files.size())));
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
