package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.gate.Outcome;
import io.opsdoc.core.notes.NoteCatalog;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * For a person at a terminal: the verdict first, then each finding worst first with its evidence, the opening of
 * the note section that explains it, and the command that prints the whole section.
 */
public final class TextReportWriter implements ReportWriter {
    private static final int WIDTH = 100;
    private final NoteCatalog notes;
    private final String lang;
    private final boolean colour;

    public TextReportWriter(NoteCatalog notes, String lang, boolean colour) {
        this.notes = notes;
        this.lang = lang;
        this.colour = colour;
    }

    @Override
    public void write(Outcome outcome, PrintStream out) {
        if (!outcome.targetNames().isEmpty()) {
            writeGate(outcome, out);
            return;
        }
        boolean first = true;
        for (Report r : outcome.reports()) {
            if (!first) {
                out.println();
            }
            first = false;
            writeOne(outcome, r, out);
        }
    }

    private void writeOne(Outcome o, Report r, PrintStream out) {
        List<Finding> findings = Ordering.sorted(r.findings());
        String codes = findings.isEmpty() ? "no findings"
                : findings.stream().map(Finding::code).distinct().collect(Collectors.joining(", "));
        Severity status = o.status(r);
        out.println(paint(status, status.name()) + " " + r.check() + " on " + r.target() + ": " + codes
                + String.format(" (%.2fs)", r.durationSeconds()));
        for (Finding f : findings) {
            out.println();
            out.println("  " + paint(f.severity(), f.severity().name()) + " " + f.code()
                    + (f.subject() == null ? "" : " [" + f.subject() + "]") + Marks.of(o, f));
            wrap("    ", f.summary(), out);
            if (!f.evidence().isEmpty()) {
                wrap("    evidence: ", evidence(f.evidence()), out);
            }
            notes.lookup(f.note(), lang).ifPresentOrElse(l -> {
                String marker = l.staleTranslation() ? " (translation older than the English note)" : "";
                wrap("    runbook:  ", plain(l.section().excerpt()) + marker, out);
            }, () -> out.println("    runbook:  (note " + f.note() + " is missing)"));
            out.println("    more:     " + Marks.explain(f) + (lang.equals(NoteCatalog.ENGLISH) ? "" : " --lang " + lang));
        }
        if (!r.metrics().isEmpty()) {
            out.println();
            wrap("  metrics: ", r.metrics().stream().map(TextReportWriter::metric).collect(Collectors.joining(", ")), out);
        }
    }

    /** Many targets: one line per check run, then the problems worst first with evidence and note, then the counts. */
    private void writeGate(Outcome o, PrintStream out) {
        for (int i = 0; i < o.reports().size(); i++) {
            Report r = o.reports().get(i);
            String name = o.targetName(i) == null ? r.target() : o.targetName(i);
            Severity status = o.status(r);
            String codes = r.findings().isEmpty() ? "no findings"
                    : Ordering.sorted(r.findings()).stream().map(Finding::code).distinct().collect(Collectors.joining(", "));
            out.printf("%-8s %-28s %-22s %s (%.2fs)%n", paint(status, status.name()), name, r.check(), codes, r.durationSeconds());
        }
        List<Finding> problems = Ordering.sorted(o.findings().stream().filter(f -> f.severity().isProblem()).toList());
        if (!problems.isEmpty()) {
            out.println();
            out.println("Problems, worst first:");
            for (Finding f : problems) {
                out.println();
                out.println("  " + paint(f.severity(), f.severity().name()) + " " + f.code() + " on " + f.target()
                        + (f.subject() == null ? "" : " [" + f.subject() + "]") + Marks.of(o, f));
                wrap("    ", f.summary(), out);
                if (!f.evidence().isEmpty()) {
                    wrap("    evidence: ", evidence(f.evidence()), out);
                }
                out.println("    runbook:  " + f.note() + "  (" + Marks.explain(f) + ")");
            }
        }
        if (!o.resolved().isEmpty()) {
            out.println();
            out.println("Resolved since the baseline:");
            o.resolved().forEach(f -> out.println("  " + f.code() + " on " + f.target() + (f.subject() == null ? "" : " [" + f.subject() + "]")));
        }
        out.println();
        out.println(Counts.of(o).sentence());
    }

    static String evidence(Map<String, Object> e) {
        return e.entrySet().stream().map(x -> x.getKey() + "=" + value(x.getValue())).collect(Collectors.joining(", "));
    }

    private static String value(Object v) {
        if (v == null) {
            return "NULL";
        }
        String s = v.toString();
        return s.isEmpty() || s.contains(" ") || s.contains(",") ? "\"" + s + "\"" : s;
    }

    private static String metric(Metric m) {
        String labels = m.labels().isEmpty() ? "" : m.labels().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
        double v = m.value();
        String n = v == Math.rint(v) ? Long.toString((long) v) : String.format("%.3f", v);
        return m.name() + labels + "=" + n + (m.unit() == null ? "" : m.unit());
    }

    /** Wraps at word boundaries by display width; runs of CJK text (no spaces, two columns a character) break anywhere. */
    static void wrap(String prefix, String text, PrintStream out) {
        String indent = " ".repeat(prefix.length());
        int room = Math.max(20, WIDTH - prefix.length());
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int used = 0;
        for (String word : text.split(" ")) {
            int w = width(word);
            if (used > 0 && used + 1 + w > room) {
                lines.add(line.toString());
                line.setLength(0);
                used = 0;
            }
            if (used > 0) {
                line.append(' ');
                used++;
            }
            for (int i = 0; i < word.length(); ) {
                int cp = word.codePointAt(i);
                int cw = columns(cp);
                if (used + cw > room) {
                    lines.add(line.toString());
                    line.setLength(0);
                    used = 0;
                }
                line.appendCodePoint(cp);
                used += cw;
                i += Character.charCount(cp);
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        for (int i = 0; i < lines.size(); i++) {
            out.println((i == 0 ? prefix : indent) + lines.get(i));
        }
    }

    static int width(String s) {
        return s.codePoints().map(TextReportWriter::columns).sum();
    }

    /** East Asian wide and full-width characters take two terminal columns. */
    private static int columns(int cp) {
        boolean wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        return wide ? 2 : 1;
    }

    /** A terminal cannot follow a Markdown link: keep the link text. */
    static String plain(String markdown) {
        return markdown.replaceAll("\\[([^\\]]+)\\]\\([^)]*\\)", "$1");
    }

    private String paint(Severity s, String text) {
        if (!colour) {
            return text;
        }
        String code = switch (s) {
            case CRITICAL -> "1;31";
            case WARNING -> "1;33";
            case UNKNOWN -> "1;35";
            case INFO -> "36";
            case OK -> "1;32";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }
}
