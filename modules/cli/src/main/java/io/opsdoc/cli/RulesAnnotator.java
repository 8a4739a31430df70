package io.opsdoc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.alerts.AlertNotes;
import io.opsdoc.core.alerts.RunbookLink;
import io.opsdoc.core.config.YamlLocations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Adds {@code runbook_url} annotations to a rule file by editing its text, not by re-writing the YAML: a line is
 * inserted (or one value replaced) at the positions the parser reported, so comments, key order, quoting and block
 * scalars survive. Every edit is then verified by parsing the result again: it must be the original document plus
 * exactly the new runbook_urls, or nothing is written.
 */
final class RulesAnnotator {
    private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z][A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]*");

    /** One alert that got (or kept) a runbook_url. {@code previous} is the broken link replaced, null for an addition. */
    record Change(PrometheusRuleFile.Alert alert, String url, String previous) {
    }

    /** An alert left as it was, and why. */
    record Skip(PrometheusRuleFile.Alert alert, String reason) {
    }

    record Result(String text, List<Change> changes, List<Skip> skipped) {
    }

    private final AlertNotes alertNotes;
    private final RulesLint lint;
    private final boolean overwrite;

    RulesAnnotator(AlertNotes alertNotes, RulesLint lint, boolean overwrite) {
        this.alertNotes = alertNotes;
        this.lint = lint;
        this.overwrite = overwrite;
    }

    /** A text edit: replace [column, end) of a 0-based line, or insert whole lines before it (column -1). */
    private record Edit(int line, int column, int end, String replacement, List<String> lines) {
    }

    Result annotate(PrometheusRuleFile file) {
        List<Change> changes = new ArrayList<>();
        List<Skip> skipped = new ArrayList<>();
        List<Edit> edits = new ArrayList<>();
        Lines lines = new Lines(file.text);
        for (PrometheusRuleFile.Alert a : file.alerts) {
            String current = a.runbookUrl() == null || a.runbookUrl().isBlank() ? null : a.runbookUrl().strip();
            Optional<RunbookLink> link = RunbookLink.parse(current);
            if (current != null && link.isEmpty()) {
                continue; // a foreign runbook: never touched
            }
            if (current != null && alertNotes.resolve(null, current, "en").isPresent()) {
                continue; // already a working opsdoc link
            }
            if (current != null && !overwrite) {
                skipped.add(new Skip(a, "runbook_url " + current + " is broken; --overwrite replaces it"));
                continue;
            }
            Optional<AlertNotes.Resolution> known = alertNotes.resolve(a.name(), null, "en");
            if (known.isEmpty()) {
                skipped.add(new Skip(a, "opsdoc has no note for it"));
                continue;
            }
            String url = lint.suggestedUrl(known.get());
            Optional<Edit> edit = current == null ? add(lines, a, url) : replace(lines, a, url);
            if (edit.isEmpty()) {
                skipped.add(new Skip(a, "written in a form opsdoc does not edit (flow style or a multi-line value); add runbook_url: " + url + " by hand"));
                continue;
            }
            edits.add(edit.get());
            changes.add(new Change(a, url, current));
        }
        String text = lines.apply(edits);
        verify(file, text, changes);
        return new Result(text, List.copyOf(changes), List.copyOf(skipped));
    }

    /** Parses the edited text again: every document must equal the original with exactly the new runbook_urls set. */
    private static void verify(PrometheusRuleFile before, String text, List<Change> changes) {
        PrometheusRuleFile after;
        try {
            after = PrometheusRuleFile.parse(before.path, text);
        } catch (UsageException e) {
            throw new UsageException(before.path + ": editing the file in place failed (" + e.getMessage() + "); nothing was written");
        }
        List<JsonNode> expected = new ArrayList<>();
        for (PrometheusRuleFile.Doc d : before.docs) {
            expected.add(d.root().deepCopy());
        }
        for (Change c : changes) {
            JsonNode rule = expected.get(c.alert().doc().index()).at(c.alert().pointer());
            JsonNode ann = rule.get("annotations");
            if (ann == null || !ann.isObject()) {
                ann = ((ObjectNode) rule).putObject("annotations");
            }
            ((ObjectNode) ann).put("runbook_url", c.url());
        }
        List<JsonNode> actual = after.docs.stream().map(PrometheusRuleFile.Doc::root).toList();
        if (!expected.equals(actual)) {
            throw new UsageException(before.path + ": editing the file in place did not give the intended result; nothing was written"
                    + " (please report this with the file)");
        }
    }

    private Optional<Edit> add(Lines lines, PrometheusRuleFile.Alert a, String url) {
        YamlLocations loc = a.doc().locations();
        JsonNode ann = a.rule().get("annotations");
        YamlLocations.Position alertKey = loc.position(a.pointer() + "/alert").orElseThrow();
        if (ann != null && ann.isObject() && !ann.isEmpty()) {
            String first = ann.fieldNames().next();
            YamlLocations.Position annKey = loc.position(a.pointer() + "/annotations").orElseThrow();
            YamlLocations.Position firstKey = loc.position(a.pointer() + "/annotations/" + first).orElseThrow();
            int brace = lines.afterColon(annKey.line() - 1, annKey.column() - 1);
            if (brace >= 0 && lines.charAt(annKey.line() - 1, brace) == '{') {
                return Optional.of(new Edit(annKey.line() - 1, brace + 1, brace + 1, "runbook_url: " + quoted(url) + ", ", null));
            }
            if (firstKey.line() == annKey.line()) {
                return Optional.empty();
            }
            return Optional.of(new Edit(firstKey.line() - 1, -1, -1, null,
                    List.of(" ".repeat(firstKey.column() - 1) + "runbook_url: " + scalar(url))));
        }
        if (ann != null) { // annotations: with no value, ~, null or {}
            YamlLocations.Position annKey = loc.position(a.pointer() + "/annotations").orElseThrow();
            int line = annKey.line() - 1;
            int value = lines.afterColon(line, annKey.column() - 1);
            if (value < 0) {
                return Optional.empty();
            }
            String rest = lines.get(line).substring(value);
            String token = rest.replaceFirst("\\s+#.*$", "").strip();
            if (token.isEmpty() || token.startsWith("#")) {
                return Optional.of(new Edit(line + 1, -1, -1, null,
                        List.of(" ".repeat(annKey.column() - 1 + 2) + "runbook_url: " + scalar(url))));
            }
            if (token.equals("~") || token.equalsIgnoreCase("null") || token.replace(" ", "").equals("{}")) {
                return Optional.of(new Edit(line, value, value + token.length(), "{runbook_url: " + quoted(url) + "}", null));
            }
            return Optional.empty();
        }
        // no annotations key: a new block before 'labels' (or the rule's second key), at the rule's key indentation
        List<String> keys = new ArrayList<>();
        a.rule().fieldNames().forEachRemaining(keys::add);
        String before = keys.contains("labels") && keys.indexOf("labels") > 0 ? "labels" : keys.size() > 1 ? keys.get(1) : null;
        if (before == null) {
            return Optional.empty();
        }
        YamlLocations.Position key = loc.position(a.pointer() + "/" + before).orElseThrow();
        if (key.line() == alertKey.line() || key.column() != alertKey.column()) {
            return Optional.empty(); // flow style
        }
        int line = key.line() - 1;
        String indent = " ".repeat(key.column() - 1);
        while (line > 0 && lines.get(line - 1).startsWith(indent + "#")) {
            line--; // keep a comment above the key with its key
        }
        return Optional.of(new Edit(line, -1, -1, null, List.of(indent + "annotations:", indent + "  runbook_url: " + scalar(url))));
    }

    private Optional<Edit> replace(Lines lines, PrometheusRuleFile.Alert a, String url) {
        YamlLocations.Position key = a.doc().locations().position(a.pointer() + "/annotations/runbook_url").orElseThrow();
        YamlLocations.Position annKey = a.doc().locations().position(a.pointer() + "/annotations").orElseThrow();
        int line = key.line() - 1;
        boolean flow = key.line() == annKey.line();
        int start = lines.afterColon(line, key.column() - 1);
        if (start < 0) {
            return Optional.empty();
        }
        String s = lines.get(line);
        int end;
        char c = start < s.length() ? s.charAt(start) : '\n';
        if (c == '"') {
            end = start + 1;
            while (end < s.length() && s.charAt(end) != '"') {
                end += s.charAt(end) == '\\' ? 2 : 1;
            }
            if (end >= s.length()) {
                return Optional.empty();
            }
            end++;
        } else if (c == '\'') {
            end = start + 1;
            while (end < s.length() && !(s.charAt(end) == '\'' && (end + 1 >= s.length() || s.charAt(end + 1) != '\''))) {
                end += s.charAt(end) == '\'' ? 2 : 1;
            }
            if (end >= s.length()) {
                return Optional.empty();
            }
            end++;
        } else if (c == '\n' || c == '|' || c == '>') {
            return Optional.empty();
        } else {
            end = start;
            while (end < s.length() && !(flow && (s.charAt(end) == ',' || s.charAt(end) == '}'))
                    && !(s.charAt(end) == '#' && Character.isWhitespace(s.charAt(end - 1))) && s.charAt(end) != '\r') {
                end++;
            }
            while (end > start && Character.isWhitespace(s.charAt(end - 1))) {
                end--;
            }
        }
        return Optional.of(new Edit(line, start, end, flow ? quoted(url) : scalar(url), null));
    }

    static String scalar(String url) {
        return PLAIN_SAFE.matcher(url).matches() && !url.endsWith(":") ? url : quoted(url);
    }

    static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The file's lines without their terminators, and the terminator it uses. */
    private static final class Lines {
        private final List<String> lines = new ArrayList<>();
        private final String newline;
        private final boolean trailingNewline;

        Lines(String text) {
            newline = text.contains("\r\n") ? "\r\n" : "\n";
            for (String l : text.split("\n", -1)) {
                lines.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
            }
            trailingNewline = text.endsWith("\n");
            if (trailingNewline) {
                lines.remove(lines.size() - 1);
            }
        }

        String get(int line) {
            return lines.get(line);
        }

        char charAt(int line, int column) {
            String s = lines.get(line);
            return column < s.length() ? s.charAt(column) : '\n';
        }

        /** The column where the value of the key starting at (line, column) begins; the line's length when it is empty; -1 if not found. */
        int afterColon(int line, int column) {
            String s = lines.get(line);
            int i = column;
            if (i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                char q = s.charAt(i);
                i = s.indexOf(q, i + 1);
                if (i < 0) {
                    return -1;
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ':') {
                    i++;
                }
            }
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            if (i >= s.length() || s.charAt(i) != ':') {
                return -1;
            }
            i++;
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            return i;
        }

        String apply(List<Edit> edits) {
            List<String> out = new ArrayList<>(lines);
            List<Edit> sorted = new ArrayList<>(edits);
            // back to front, so earlier positions stay valid
            sorted.sort(Comparator.comparingInt(Edit::line).thenComparingInt(Edit::column).reversed());
            for (Edit e : sorted) {
                if (e.column() < 0) {
                    out.addAll(e.line(), e.lines());
                } else {
                    String s = out.get(e.line());
                    out.set(e.line(), s.substring(0, e.column()) + e.replacement() + s.substring(Math.min(e.end(), s.length())));
                }
            }
            StringBuilder b = new StringBuilder();
            for (Iterator<String> it = out.iterator(); it.hasNext(); ) {
                b.append(it.next());
                if (it.hasNext() || trailingNewline) {
                    b.append(newline);
                }
            }
            return b.toString();
        }
    }
}
