package io.opsdoc.lab.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Work directories of the labs: created under java.io.tmpdir, removed when a lab closes. */
public final class LabFiles {
    private static final Logger log = LoggerFactory.getLogger(LabFiles.class);

    private LabFiles() {
    }

    /** A fresh directory whose name starts with {@code prefix}. */
    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a lab work directory", e);
        }
    }

    /**
     * Deletes {@code dir} and everything below it; a file that cannot be deleted is logged, not thrown, because a
     * lab's close must go on stopping its other servers.
     */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.debug("could not delete {}", path, e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete the lab work dir {}", dir, e);
        }
    }
}
