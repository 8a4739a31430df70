package io.opsdoc.core.notes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A note's {@code source:} says which seed lines it was written from; a range past the end of the seed file (issue
 * 19: web/http-status cited 518-545 of a 540-line file) means the citation is wrong. The seeds are not in this
 * repository: they are read from {@code OPSDOC_SEEDS}, else {@code ../shared/seeds} next to the checkout; without
 * them only the syntax is checked.
 */
class NoteSourcesTest {
    private static final Pattern ENTRY = Pattern.compile("([0-9]{3}_[0-9a-f]{16}\\.txt):([0-9]+)(?:-([0-9]+))?");
    private final NoteCatalog notes = NoteCatalog.load();

    @Test
    void everySourceEntryIsFileColonLines() {
        List<String> bad = new ArrayList<>();
        for (String lang : notes.languages()) {
            for (Note n : notes.notes(lang)) {
                for (String s : n.source()) {
                    Matcher m = ENTRY.matcher(s);
                    if (!m.matches() || m.group(3) != null && Integer.parseInt(m.group(3)) < Integer.parseInt(m.group(2))) {
                        bad.add(n.path() + ": '" + s + "' is not FILE:LINE or FILE:FIRST-LAST");
                    }
                }
            }
        }
        assertThat(bad).isEmpty();
    }

    @Test
    void everySourceRangeEndsWithinItsSeedFile() throws IOException {
        Path seeds = seeds();
        Assumptions.assumeTrue(seeds != null, "no seed directory (set OPSDOC_SEEDS or check out next to ../shared/seeds)");
        Map<String, Integer> lines = new HashMap<>();
        List<String> bad = new ArrayList<>();
        for (String lang : notes.languages()) {
            for (Note n : notes.notes(lang)) {
                for (String s : n.source()) {
                    Matcher m = ENTRY.matcher(s);
                    if (!m.matches()) {
                        continue; // reported by the syntax test
                    }
                    Path file = seeds.resolve(m.group(1));
                    if (!Files.isRegularFile(file)) {
                        bad.add(n.path() + ": cites " + m.group(1) + ", which is not a seed file");
                        continue;
                    }
                    int count = lines.computeIfAbsent(m.group(1), f -> lineCount(file));
                    int last = Integer.parseInt(m.group(3) != null ? m.group(3) : m.group(2));
                    if (last > count) {
                        bad.add(n.path() + ": cites " + s + " but " + m.group(1) + " has " + count + " lines");
                    }
                }
            }
        }
        assertThat(bad).isEmpty();
    }

    private static int lineCount(Path file) {
        try {
            return (int) Files.readAllLines(file, StandardCharsets.UTF_8).size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path seeds() {
        String env = System.getenv("OPSDOC_SEEDS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        // the test runs in a module directory; the checkout's root holds mvnw
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw"))) {
                Path s = p.resolveSibling("shared").resolve("seeds");
                return Files.isDirectory(s) ? s : null;
            }
        }
        return null;
    }
}
