package io.opsdoc.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Files named by an absolute path whose last component may be a glob ({@code /var/backups/etcd/*.db}): what the
 * backup checks look at. Only the file name may hold wildcards, so listing is one directory read, never a walk.
 */
public final class FileGlob {
    private final String text;
    private final Path directory;
    private final PathMatcher names;

    /** A file that matched: regular (a symbolic link counts by its target), with its size and modification time. */
    public record Match(Path path, long bytes, long modifiedMillis) {
    }

    private FileGlob(String text, Path directory, PathMatcher names) {
        this.text = text;
        this.directory = directory;
        this.names = names;
    }

    /** @throws UsageException naming {@code parameter} for a relative path or wildcards in the directory part */
    public static FileGlob parse(String parameter, String path) {
        Path p = Path.of(path);
        if (!p.isAbsolute() || p.getFileName() == null) {
            throw new UsageException("parameter " + parameter + ": give an absolute path such as /var/backups/*.gz, not '"
                    + path + "'");
        }
        if (!p.normalize().equals(p) || path.chars().anyMatch(Character::isISOControl)) {
            throw new UsageException("parameter " + parameter + ": give a normal absolute path (no '.' or '..' "
                    + "components, no control characters), not '" + path + "'");
        }
        Path dir = p.getParent();
        if (dir.toString().matches(".*[*?\\[{].*")) {
            throw new UsageException("parameter " + parameter + ": only the file name may hold wildcards, not the directory ('"
                    + dir + "'); name the backup directory literally");
        }
        return new FileGlob(path, dir, dir.getFileSystem().getPathMatcher("glob:" + p.getFileName()));
    }

    public String text() {
        return text;
    }

    public Path directory() {
        return directory;
    }

    /** Whether a file name (no directory) matches the glob's last component: how a remote listing is filtered. */
    public boolean matchesName(String fileName) {
        return !fileName.isEmpty() && !fileName.contains("/") && names.matches(Path.of(fileName));
    }

    /** The order {@link #newestFirst} returns: newest first, equal times by name. */
    public static List<Match> sortNewestFirst(List<Match> files) {
        List<Match> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingLong(Match::modifiedMillis).reversed().thenComparing(m -> m.path().toString()));
        return List.copyOf(sorted);
    }

    /**
     * The matching files, newest first (equal times by name); none when the directory does not exist.
     *
     * @param grantsHint what to run or change when the directory cannot be listed, for the message
     */
    public List<Match> newestFirst(String grantsHint) throws ProbeException {
        List<Match> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path p : entries) {
                if (!names.matches(p.getFileName())) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isSymbolicLink()) {
                        a = Files.readAttributes(p, BasicFileAttributes.class);
                    }
                } catch (NoSuchFileException | AccessDeniedException e) {
                    // removed since the listing, or a dangling or unreachable link: no backup, and it must not hide
                    // the others (find -L on the SSH side skips it the same way)
                    continue;
                }
                if (a.isRegularFile()) {
                    files.add(new Match(p, a.size(), a.lastModifiedTime().toMillis()));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (AccessDeniedException e) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "cannot list " + directory + ": permission denied ("
                    + grantsHint + ")");
        } catch (IOException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot list " + directory + ": " + e.getClass().getSimpleName());
        }
        return sortNewestFirst(files);
    }
}
