package io.opsdoc.core.notes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoteCatalogTest {
    private static final String EN = """
            ---
            id: demo/topic
            title: Demo topic
            checks: [demo-check]
            alerts: [DemoAlert]
            source: ["000.txt:1-2"]
            ---
            # Demo topic

            Intro.

            ## Meaning {#meaning}
            What it means.

            ## VALUE_HIGH {#value-high}

            The value is high.
            Do the first thing.

            More detail.

            ```sh
            ## not a heading
            ```

            ## Untitled heading without anchor
            ignored
            """;

    @TempDir
    Path root;

    private void write(String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private static String zh(String hash) {
        return """
                ---
                id: demo/topic
                title: 演示
                lang: zh
                translated-from: sha256:%s
                ---
                # 演示

                ## 含义 {#meaning}
                含义。

                ## VALUE_HIGH {#value-high}
                数值过高。
                """.formatted(hash);
    }

    @Test
    void parsesFrontMatterSectionsAndExcerpts() throws IOException {
        write("en/demo/topic.md", EN);
        NoteCatalog c = NoteCatalog.fromDirectory(root);
        assertThat(c.problems()).isEmpty();
        Note n = c.note("demo/topic", "en").orElseThrow();
        assertThat(n.title()).isEqualTo("Demo topic");
        assertThat(n.alerts()).containsExactly("DemoAlert");
        assertThat(n.sections()).containsOnlyKeys("meaning", "value-high");
        Note.Section s = n.section("value-high").orElseThrow();
        assertThat(s.excerpt()).isEqualTo("The value is high. Do the first thing.");
        assertThat(s.markdown()).contains("## not a heading").doesNotContain("ignored");
        assertThat(c.forAlert("DemoAlert", "en")).extracting(Note::id).containsExactly("demo/topic");
    }

    @Test
    void aCurrentTranslationIsServedAndAStaleOneIsReported() throws IOException {
        write("en/demo/topic.md", EN);
        String hash = NoteParser.sha256(EN.getBytes(StandardCharsets.UTF_8));
        write("zh/demo/topic.md", zh(hash));
        NoteCatalog current = NoteCatalog.fromDirectory(root);
        assertThat(current.staleTranslations()).isEmpty();
        NoteCatalog.Lookup l = current.lookup("demo/topic#value-high", "zh").orElseThrow();
        assertThat(l.section().excerpt()).isEqualTo("数值过高。");
        assertThat(l.staleTranslation()).isFalse();

        write("en/demo/topic.md", EN + "\nA later English edit.\n");
        NoteCatalog edited = NoteCatalog.fromDirectory(root);
        assertThat(edited.staleTranslations()).singleElement().asString().contains("zh/demo/topic.md");
        assertThat(edited.lookup("demo/topic#value-high", "zh").orElseThrow().staleTranslation()).isTrue();
    }

    @Test
    void aMissingTranslatedSectionFallsBackToEnglish() throws IOException {
        write("en/demo/topic.md", EN.replace("## Meaning {#meaning}", "## Extra {#extra}\nx\n\n## Meaning {#meaning}"));
        write("zh/demo/topic.md", zh("0"));
        NoteCatalog.Lookup l = NoteCatalog.fromDirectory(root).lookup("demo/topic#extra", "zh").orElseThrow();
        assertThat(l.fallbackToEnglish()).isTrue();
        assertThat(l.note().lang()).isEqualTo("en");
    }

    @Test
    void malformedNotesAreProblemsNotCrashes() throws IOException {
        write("en/demo/topic.md", "# no front matter\n");
        write("en/demo/other.md", "---\nid: demo/wrong\ntitle: x\n---\n");
        assertThat(NoteCatalog.fromDirectory(root).problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("no front matter"))
                .anySatisfy(p -> assertThat(p).contains("does not match its path"));
    }
}
