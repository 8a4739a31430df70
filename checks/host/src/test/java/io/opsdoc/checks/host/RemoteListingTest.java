package io.opsdoc.checks.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.FileGlob;
import io.opsdoc.core.ProbeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup checks' directory listing over SSH: the exact line {@link HostCommands#listLine} sends, run here by
 * {@code /bin/sh -c} as sshd would run it, and its output parsed into the same matches a local listing gives. The
 * directory name is hostile on purpose: the quoting must keep it one word.
 */
class RemoteListingTest {
    @TempDir
    Path tmp;

    @Test
    void sameMatchesAsLocalListingWithHostileNames() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("back'; touch pwned; echo 'ups $(id) `id`"));
        write(dir.resolve("db-1.sql.gz"), 10, 7200);
        write(dir.resolve("db 2 with spaces.sql.gz"), 20, 3600);
        write(dir.resolve("db-3\nnewline.sql.gz"), 30, 60);
        write(dir.resolve("other.txt"), 5, 0);
        Files.createDirectory(dir.resolve("db-dir.sql.gz")); // a directory that matches the glob is not a backup
        Files.createSymbolicLink(dir.resolve("db-latest.sql.gz"), dir.resolve("db-1.sql.gz"));
        Files.createSymbolicLink(dir.resolve("db-dangling.sql.gz"), dir.resolve("gone"));
        FileGlob glob = FileGlob.parse("files", dir.resolve("db*.sql.gz").toString());

        SshHost.Result listed = sh(HostCommands.listLine(dir.toString()));
        List<FileGlob.Match> remote = RemoteListing.parse(glob, listed, "test", "hint");

        assertThat(Files.exists(tmp.resolve("pwned"))).isFalse();
        assertThat(remote).extracting(m -> m.path().getFileName().toString()).containsExactly(
                "db-3\nnewline.sql.gz", "db 2 with spaces.sql.gz", "db-1.sql.gz", "db-latest.sql.gz");
        assertThat(remote).isEqualTo(glob.newestFirst("hint"));
    }

    @Test
    void missingDirectoryIsNoFilesAndUnreadableIsPermissionDenied() throws Exception {
        FileGlob missing = FileGlob.parse("files", tmp.resolve("nope/*.gz").toString());
        assertThat(RemoteListing.parse(missing, sh(HostCommands.listLine(tmp.resolve("nope").toString())), "test",
                "hint")).isEmpty();
        FileGlob denied = FileGlob.parse("files", "/backup/*.gz");
        SshHost.Result refused = new SshHost.Result("", "find: '/backup': Permission denied\n", 1);
        assertThatThrownBy(() -> RemoteListing.parse(denied, refused, "opsdoc@h:22", "run 'opsdoc grants x'"))
                .isInstanceOf(ProbeException.class).hasMessageContaining("cannot list /backup on opsdoc@h:22")
                .hasMessageContaining("opsdoc grants x")
                .satisfies(e -> assertThat(((ProbeException) e).code().code()).isEqualTo("PERMISSION_DENIED"));
    }

    @Test
    void onlyAbsoluteNormalPathsAreSent() {
        assertThat(HostCommands.streamLine("/data/backup/it's.gz")).isEqualTo("cat -- '/data/backup/it'\\''s.gz'");
        for (String bad : List.of("data/x.gz", "/data/../etc/shadow", "/data/./x", "/data/x\n.gz", "/data/")) {
            assertThatThrownBy(() -> HostCommands.streamLine(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HostCommands.listLine(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void write(Path f, int bytes, long ageSeconds) throws Exception {
        Files.write(f, new byte[bytes]);
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(ageSeconds)));
    }

    private static SshHost.Result sh(String line) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", line).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new SshHost.Result(out.toString(StandardCharsets.UTF_8), err, p.exitValue());
    }
}
