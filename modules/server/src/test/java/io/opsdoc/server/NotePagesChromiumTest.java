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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runbook pages as a real browser sees them: headless Chromium loads each note page a check links to, and every
 * finding code's anchor must be an element id in the DOM Chromium built (not merely a string in the HTML we sent),
 * and every in-page link must have its target.
 */
@Tag("lab")
class NotePagesChromiumTest {

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
            // Every note in English, the first one in Chinese as well.
            Map<String, String> urls = new LinkedHashMap<>();
            for (String note : anchorsByNote.keySet()) {
                for (String lang : note.equals("mysql/replication") ? List.of("en", "zh") : List.of("en")) {
                    urls.put(base + "/notes/" + lang + "/" + note, note + "|" + lang);
                }
            }
            Map<String, PageDom> doms = dumpDoms(chromium.get(), List.copyOf(urls.keySet()));
            assertThat(doms.keySet()).as("pages Chromium loaded").containsExactlyInAnyOrderElementsOf(urls.keySet());
            urls.forEach((url, key) -> {
                String note = key.substring(0, key.indexOf('|'));
                String lang = key.substring(key.indexOf('|') + 1);
                PageDom dom = doms.get(url);
                assertThat(dom.status()).as(url).isEqualTo(200);
                assertThat(dom.lang()).as(note + " in " + lang).isEqualTo(lang);
                assertThat(dom.ids()).as("anchors of %s (%s) in Chromium's DOM", note, lang).containsAll(anchorsByNote.get(note));
                assertThat(dom.ids()).as("in-page links of %s (%s)", note, lang).containsAll(dom.localHrefs());
            });
        }
    }

    /** What Chromium's HTML parser built for one page: the status, {@code <html lang>}, element ids and {@code href="#x"} targets. */
    private record PageDom(int status, String lang, Set<String> ids, Set<String> localHrefs) {
    }

    /**
     * One browser start for all pages (a start per page cost ~1.3 s each, over two minutes for the notes): a local
     * harness page fetches each note synchronously and parses it with Chromium's own HTML parser (DOMParser), then
     * writes one line per page into its body, which {@code --dump-dom} prints once the harness has loaded. The pages
     * carry no script, so the parsed document is the DOM a visitor's browser builds. Web security is off only for this
     * throw-away profile, because the harness (file:) reads pages of another origin (the server).
     */
    private static Map<String, PageDom> dumpDoms(Path chromium, List<String> urls) throws Exception {
        Path dir = Files.createTempDirectory("opsdoc-chromium");
        try {
            StringBuilder list = new StringBuilder();
            for (String url : urls) {
                list.append(list.length() == 0 ? "" : ",").append('"').append(url).append('"');
            }
            String harness = "<!doctype html><html><body><pre id=\"out\"></pre><script>\n"
                    + "const out = [];\n"
                    + "for (const url of [" + list + "]) {\n"
                    + "  const x = new XMLHttpRequest(); x.open('GET', url, false); x.send();\n"
                    + "  const d = new DOMParser().parseFromString(x.responseText, 'text/html');\n"
                    + "  const ids = [...d.querySelectorAll('[id]')].map(e => e.id);\n"
                    + "  const hrefs = [...d.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href').substring(1));\n"
                    + "  out.push(['PAGE', url, x.status, d.documentElement.lang, ids.join(' '), hrefs.join(' ')].join('\\t'));\n"
                    + "}\n"
                    + "document.getElementById('out').textContent = out.join('\\n');\n"
                    + "</script></body></html>\n";
            Path page = Files.writeString(dir.resolve("harness.html"), harness);
            List<String> cmd = List.of(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run", "--disable-web-security",
                    "--user-data-dir=" + dir.resolve("profile"), "--dump-dom", page.toUri().toString());
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish loading the harness");
            }
            Map<String, PageDom> doms = new LinkedHashMap<>();
            String dom = new String(out, StandardCharsets.UTF_8);
            int from = dom.indexOf("<pre id=\"out\">");
            int to = dom.indexOf("</pre>", Math.max(from, 0));
            assertThat(from).as("the harness's output in Chromium's DOM").isNotNegative();
            for (String line : unescape(dom.substring(from, to)).split("\n")) {
                int at = line.indexOf("PAGE\t");
                if (at < 0) {
                    continue;
                }
                String[] f = line.substring(at).split("\t", -1);
                doms.put(f[1], new PageDom(Integer.parseInt(f[2]), f[3], words(f[4]), words(f[5])));
            }
            return doms;
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Set<String> words(String s) {
        return s.isBlank() ? Set.of() : new TreeSet<>(List.of(s.trim().split(" +")));
    }

    /** --dump-dom serializes the pre's text with HTML escaping. */
    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }
}
