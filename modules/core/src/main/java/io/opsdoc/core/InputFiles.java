package io.opsdoc.core;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files a user names (baselines, CA files, kubeconfigs, password files, captures): one wording and one exit code for
 * every kind of problem with them, across commands and checks. A file that cannot be read is a usage error (exit 64),
 * found before any connection is made, never an UNKNOWN verdict about the target:
 * {@code <what> <path> cannot be read: no such file | permission denied | is a directory | <reason>}.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /** The path, if it names a readable regular file; a {@link UsageException} in the common wording otherwise. */
    public static Path requireReadable(String what, String path) {
        Path p = Path.of(path);
        String why = Files.isDirectory(p) ? "is a directory"
                : !Files.exists(p) ? "no such file"
                : !Files.isReadable(p) ? "permission denied" : null;
        if (why != null) {
            throw new UsageException(what + " " + path + " cannot be read: " + why);
        }
        return p;
    }

    /** The usage error for an {@link IOException} met while reading a file the user named. */
    public static UsageException unreadable(String what, Object path, IOException e) {
        String why = e instanceof NoSuchFileException || e instanceof FileNotFoundException && !Files.exists(Path.of(path.toString()))
                ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : Files.isDirectory(Path.of(path.toString())) ? "is a directory"
                : FailureClassifier.oneLine(e);
        return new UsageException(what + " " + path + " cannot be read: " + why);
    }
}
