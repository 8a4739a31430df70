package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.CheckRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Paths follow ids: for every registered check, the class, notes (en and zh), scenario set and scenario test that
 * {@link CheckIndex} computes by convention exist in the tree, and docs/checks.md says the same.
 */
class ChecksDocTest {
    private static final Path ROOT = Path.of("../..");
    private final List<CheckIndex.Entry> entries = CheckIndex.entries(CheckRegistry.load());

    @Test
    void everyComputedPathExists() {
        List<String> missing = new ArrayList<>();
        for (CheckIndex.Entry e : entries) {
            List<String> paths = new ArrayList<>(List.of(e.source()));
            e.notes().forEach(n -> {
                paths.add(n);
                paths.add(n.replace("/en/", "/zh/"));
            });
            if (!e.scenarioSource().isEmpty()) {
                paths.add(e.scenarioSource());
                paths.addAll(e.scenarioTests());
            }
            paths.stream().filter(p -> !Files.exists(ROOT.resolve(p))).forEach(p -> missing.add(e.check().id() + ": " + p));
        }
        assertThat(missing).as("paths the conventions of docs/CONTRIBUTING.md promise").isEmpty();
    }

    @Test
    void docsChecksMdIsCurrent() throws Exception {
        Path doc = ROOT.resolve("docs/checks.md");
        String expected = CheckIndex.markdown(entries);
        if ("1".equals(System.getenv("OPSDOC_WRITE_DOCS"))) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "")
                .as("docs/checks.md is stale: rerun this test with OPSDOC_WRITE_DOCS=1").isEqualTo(expected);
    }
}
