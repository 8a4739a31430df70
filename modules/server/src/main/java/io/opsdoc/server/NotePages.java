package io.opsdoc.server;

import io.opsdoc.core.notes.Note;
import io.opsdoc.core.notes.NoteCatalog;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The runbook notes as HTML pages, so their URLs can be every alert rule's {@code runbook_url}: each
 * {@code ## CODE {#anchor}} heading becomes an element with that id, so {@code /notes/en/mysql/replication#sql-error}
 * lands on the section a finding links to.
 */
final class NotePages {
    private static final Pattern ANCHOR = Pattern.compile("\\s*\\{#([a-z0-9][a-z0-9-]*)\\}\\s*$");
    private final NoteCatalog notes;
    private final Parser parser = Parser.builder().build();
    private final HtmlRenderer renderer = HtmlRenderer.builder().escapeHtml(true)
            .attributeProviderFactory(c -> (node, tag, attributes) -> {
                if (node instanceof Heading h) {
                    String id = findAnchor(h);
                    if (id != null) {
                        attributes.put("id", id);
                    }
                }
            }).build();

    NotePages(NoteCatalog notes) {
        this.notes = notes;
    }

    /** The page for {@code lang/id}, or empty when there is no such note. */
    Optional<String> page(String lang, String id) {
        Optional<NoteCatalog.Lookup> l = notes.lookup(id, lang);
        return l.map(lookup -> {
            Note n = lookup.note();
            Node doc = parser.parse(n.markdown());
            doc.accept(new AbstractVisitor() {
                @Override
                public void visit(Heading heading) {
                    stripAnchor(heading);
                }
            });
            String banner = lookup.fallbackToEnglish() ? "<p class=\"warn\">No " + esc(lang) + " translation; showing English.</p>"
                    : lookup.staleTranslation() ? "<p class=\"warn\">This translation is older than the English note; "
                            + "<a href=\"/notes/en/" + esc(n.id()) + "\">read the current English text</a>.</p>" : "";
            String other = n.lang().equals("en") ? "zh" : "en";
            String nav = "<p><a href=\"/notes/\">All notes</a> · <a href=\"/notes/" + other + "/" + esc(n.id()) + "\">"
                    + (other.equals("zh") ? "中文" : "English") + "</a></p>";
            return html(n.title(), n.lang(), nav + banner + renderer.render(doc));
        });
    }

    /** Every note, per language, filtered by a search over titles, ids, codes and alert names. */
    String index(String query) {
        String q = query == null ? "" : query.trim().toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder("<form action=\"/notes/\"><input name=\"q\" value=\"").append(esc(q))
                .append("\" placeholder=\"search: code, alert, title\"> <button>Search</button></form>");
        for (String lang : notes.languages()) {
            b.append("<h2>").append(esc(lang)).append("</h2><ul>");
            for (Note n : notes.notes(lang)) {
                List<String> hits = n.sections().values().stream()
                        .filter(s -> !q.isEmpty() && s.heading().toLowerCase(Locale.ROOT).contains(q)).map(Note.Section::anchor).toList();
                boolean matches = q.isEmpty() || n.title().toLowerCase(Locale.ROOT).contains(q) || n.id().contains(q)
                        || n.alerts().stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).contains(q)) || !hits.isEmpty();
                if (!matches) {
                    continue;
                }
                String href = "/notes/" + lang + "/" + n.id();
                b.append("<li><a href=\"").append(esc(href)).append("\">").append(esc(n.title())).append("</a> <code>")
                        .append(esc(n.id())).append("</code>");
                hits.forEach(a -> b.append(" <a href=\"").append(esc(href + "#" + a)).append("\">#").append(esc(a)).append("</a>"));
                b.append("</li>");
            }
            b.append("</ul>");
        }
        return html("opsdoc runbooks", "en", b.toString());
    }

    /** The id recorded by {@link #stripAnchor}, kept on the heading as a custom text node marker. */
    private static String findAnchor(Heading h) {
        for (Node n = h.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof AnchorMarker m) {
                return m.id;
            }
        }
        return null;
    }

    private static void stripAnchor(Heading h) {
        Node last = h.getLastChild();
        if (last instanceof Text t) {
            Matcher m = ANCHOR.matcher(t.getLiteral());
            if (m.find()) {
                t.setLiteral(t.getLiteral().substring(0, m.start()));
                h.appendChild(new AnchorMarker(m.group(1)));
            }
        }
    }

    /** An empty text node that carries a heading's explicit id to the renderer. */
    private static final class AnchorMarker extends Text {
        final String id;

        AnchorMarker(String id) {
            super("");
            this.id = id;
        }
    }

    static String html(String title, String lang, String body) {
        return "<!doctype html><html lang=\"" + esc(lang) + "\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + "</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
                + "pre{background:#f4f4f4;padding:.6rem;overflow:auto}code{background:#f4f4f4}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:.2rem .4rem}.warn{background:#fff3cd;padding:.4rem}"
                + "h2:target{background:#fff3cd}</style></head><body>" + body + "</body></html>";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static Map<String, String> splitPath(String path) {
        // /notes/<lang>/<id...>
        String rest = path.substring("/notes/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? Map.of("lang", rest, "id", "") : Map.of("lang", rest.substring(0, slash), "id", rest.substring(slash + 1));
    }
}
