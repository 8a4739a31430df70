package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code opsdoc lab --keep} as a newcomer uses it: the lab stays up with the fault in place, the printed line is a
 * real {@code opsdoc check} that finds it, the lab password only ever sits in a file, and a stop signal tears down.
 */
@Tag("lab")
class LabKeepTest {

    @Test
    void keepsTheFaultUpAndPrintsACheckLineThatFindsIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.opsdoc.cli.Opsdoc", "lab",
                "--keep", "--scenario", "sql-thread-stopped").redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.contains("Press Ctrl-C")) {
                    break;
                }
            }
            String check = lines.stream().map(String::strip).filter(l -> l.startsWith("opsdoc check ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no check line in " + lines));
            // opsdoc check mysql-replication 'mysql://monitor@127.0.0.1:PORT' --password-file FILE
            String[] words = check.replace("'", "").split(" ");
            Path pw = Path.of(words[words.length - 1]);
            assertThat(String.join("\n", lines)).doesNotContain(Files.readString(pw));
            Cli c = Cli.run(Arrays.copyOfRange(words, 1, words.length));
            assertThat(c.exit()).as(c.all()).isEqualTo(2);
            assertThat(c.out()).contains("SQL_THREAD_STOPPED");

            // SIGTERM, as Ctrl-C would (same shutdown hook); through the handle, which, unlike Process.destroy(),
            // leaves our end of the output pipe open to read the goodbye
            p.toHandle().destroy();
            StringBuilder rest = new StringBuilder();
            while ((line = r.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(rest.toString()).contains("Stopping the labs");
            assertThat(Files.exists(pw)).as("the password file goes with the lab").isFalse();
        } finally {
            p.destroyForcibly();
        }
    }
}
