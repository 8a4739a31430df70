package io.opsdoc.server;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.lab.ExternalBinary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runbook pages as a real browser sees them: headless Chromium loads each note page a check links to, and every
 * finding code's anchor must be an element id in the DOM Chromium built (not merely a string in the HTML we sent),
 * and every in-page link must have its target.
 */
@Tag("lab")
class NotePagesChromiumTest {
    private static final Pattern ID = Pattern.compile("\\bid=\"([^\"]+)\"");
    private static final Pattern LOCAL_HREF = Pattern.compile("href=\"#([^\"]+)\"");

    @Test
    void everyCodesAnchorExistsInTheDomChromiumBuilds() throws Exception {
        Optional<Path> chromium = ExternalBinary.find("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        assumeTrue(chromium.isPresent(), () -> ExternalBinary.missing("chromium", "chromium"));
        CheckRegistry registry = CheckRegistry.load();
        Map<String, Set<String>> anchorsByNote = registry.all().stream().map(Check::codes).flatMap(List::stream)
                .collect(Collectors.groupingBy(FindingCode::noteId, Collectors.mapping(FindingCode::anchor, Collectors.toCollection(TreeSet::new))));
        assertThat(anchorsByNote).containsKey("mysql/replication");
        NoteCatalog notes = NoteCatalog.load();
        // Every section of every note too, so pages of checks not on this module's classpath are covered.
        notes.notes("en").forEach(n -> anchorsByNote.computeIfAbsent(n.id(), k -> new TreeSet<>()).addAll(n.sections().keySet()));
        try (OpsdocServer server = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8), null, registry,
                notes, Map.of())) {
            server.start();
            String base = "http://127.0.0.1:" + server.address().getPort();
            for (Map.Entry<String, Set<String>> note : anchorsByNote.entrySet()) {
                // One browser start per page costs ~0.7 s: every note in English, the first one in Chinese as well.
                for (String lang : note.getKey().equals("mysql/replication") ? List.of("en", "zh") : List.of("en")) {
                    String dom = dumpDom(chromium.get(), base + "/notes/" + lang + "/" + note.getKey());
                    assertThat(dom).as(note.getKey() + " in " + lang).contains("<html lang=\"" + lang + "\"");
                    Set<String> ids = all(ID, dom);
                    assertThat(ids).as("anchors of %s (%s) in Chromium's DOM", note.getKey(), lang).containsAll(note.getValue());
                    assertThat(ids).containsAll(all(LOCAL_HREF, dom));
                }
            }
        }
    }

    private static Set<String> all(Pattern p, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String dumpDom(Path chromium, String url) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--dump-dom", url));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish loading " + url);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
