package io.opsdoc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup checks' file selection: an absolute path, wildcards in the file name only, newest first. */
class FileGlobTest {
    @TempDir
    Path dir;

    @Test
    void newestFirstRegularFilesAndLinksToThemOnly() throws Exception {
        Path old = touch("db-1.sql.gz", "2026-12-01T00:00:00Z");
        Path recent = touch("db-2.sql.gz", "2026-12-03T00:00:00Z");
        touch("notes.txt", "2026-12-04T00:00:00Z");
        Files.createDirectory(dir.resolve("dir.sql.gz"));
        Path link = Files.createSymbolicLink(dir.resolve("latest.sql.gz"), old);
        assertThat(FileGlob.parse("files", dir + "/*.sql.gz").newestFirst("hint")).extracting(FileGlob.Match::path)
                .containsExactly(recent, old, link);
    }

    @Test
    void aDanglingLinkDoesNotHideTheOtherFiles() throws Exception {
        Path recent = touch("db-2.sql.gz", "2026-12-03T00:00:00Z");
        Files.createSymbolicLink(dir.resolve("db-latest.sql.gz"), dir.resolve("db-3.sql.gz"));
        assertThat(FileGlob.parse("files", dir + "/db-*.sql.gz").newestFirst("hint")).extracting(FileGlob.Match::path)
                .containsExactly(recent);
    }

    @Test
    void dotDotAndControlCharactersAreUsageErrors() {
        assertThatThrownBy(() -> FileGlob.parse("files", "/data/../etc/*.gz")).isInstanceOf(UsageException.class)
                .hasMessageContaining("normal absolute path");
        assertThatThrownBy(() -> FileGlob.parse("files", "/data/x\n/*.gz")).isInstanceOf(UsageException.class)
                .hasMessageContaining("normal absolute path");
    }

    @Test
    void aMissingDirectoryMatchesNothing() throws Exception {
        assertThat(FileGlob.parse("path", dir + "/gone/*.db").newestFirst("hint")).isEmpty();
    }

    @Test
    void relativePathsAndWildcardDirectoriesAreUsageErrors() {
        assertThatThrownBy(() -> FileGlob.parse("files", "backups/*.gz")).isInstanceOf(UsageException.class)
                .hasMessageContaining("parameter files: give an absolute path");
        assertThatThrownBy(() -> FileGlob.parse("path", "/var/backups/*/x.db")).isInstanceOf(UsageException.class)
                .hasMessageContaining("parameter path: only the file name may hold wildcards");
    }

    private Path touch(String name, String modified) throws Exception {
        Path p = Files.writeString(dir.resolve(name), name);
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse(modified)));
        return p;
    }
}
