package io.opsdoc.core.notes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a note file: YAML front matter between {@code ---} lines, then Markdown. Only {@code ##} headings with an
 * explicit {@code {#anchor}} start sections; fenced code is skipped so a {@code ##} inside an example is not a heading.
 */
final class NoteParser {
    private static final Pattern SECTION = Pattern.compile("^##\\s+(.+?)\\s*\\{#([a-z0-9][a-z0-9-]*)\\}\\s*$");
    private static final Pattern ANY_H2 = Pattern.compile("^##\\s+.*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private NoteParser() {
    }

    static Note parse(String path, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (!text.startsWith("---\n")) {
            throw new IllegalArgumentException(path + ": no front matter (the file must start with a '---' line)");
        }
        int end = text.indexOf("\n---\n", 3);
        if (end < 0) {
            throw new IllegalArgumentException(path + ": front matter is not closed by a '---' line");
        }
        Map<String, Object> fm;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = YAML.readValue(text.substring(4, end), Map.class);
            fm = parsed == null ? Map.of() : parsed;
        } catch (Exception e) {
            throw new IllegalArgumentException(path + ": front matter is not valid YAML: " + e.getMessage());
        }
        String body = text.substring(end + 5);
        String lang = path.substring(0, path.indexOf('/'));
        String expectedId = path.substring(lang.length() + 1, path.length() - ".md".length());
        String id = string(fm, "id");
        if (!expectedId.equals(id)) {
            throw new IllegalArgumentException(path + ": front matter id '" + id + "' does not match its path (expected '" + expectedId + "')");
        }
        Map<String, Note.Section> sections = sections(path, body);
        // "AlertName#anchor" maps an alert to the section that answers it; alerts() keeps the bare names
        List<String> alerts = new ArrayList<>();
        Map<String, String> alertSections = new LinkedHashMap<>();
        for (String a : list(fm, "alerts")) {
            int hash = a.indexOf('#');
            String name = hash < 0 ? a : a.substring(0, hash);
            alerts.add(name);
            if (hash >= 0) {
                String anchor = a.substring(hash + 1);
                if (!sections.containsKey(anchor)) {
                    throw new IllegalArgumentException(path + ": alert " + name + " maps to #" + anchor + ", which is not a section");
                }
                alertSections.put(name, anchor);
            }
        }
        return new Note(id, lang, string(fm, "title"), list(fm, "checks"), List.copyOf(alerts), list(fm, "source"),
                string(fm, "applies-to"), string(fm, "translated-from"), path, sha256(bytes), body, sections,
                Map.copyOf(alertSections));
    }

    private static Map<String, Note.Section> sections(String path, String body) {
        Map<String, Note.Section> out = new LinkedHashMap<>();
        String[] lines = body.split("\n", -1);
        boolean fenced = false;
        String anchor = null;
        String heading = null;
        List<String> current = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.stripLeading();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                fenced = !fenced;
            }
            if (!fenced && ANY_H2.matcher(line).matches()) {
                if (anchor != null) {
                    put(out, path, anchor, heading, current);
                }
                Matcher m = SECTION.matcher(line);
                anchor = m.matches() ? m.group(2) : null;
                heading = m.matches() ? m.group(1) : null;
                current = new ArrayList<>();
                continue;
            }
            current.add(line);
        }
        if (anchor != null) {
            put(out, path, anchor, heading, current);
        }
        return out;
    }

    private static void put(Map<String, Note.Section> out, String path, String anchor, String heading, List<String> lines) {
        String md = String.join("\n", lines).strip();
        if (out.containsKey(anchor)) {
            throw new IllegalArgumentException(path + ": anchor #" + anchor + " appears twice");
        }
        out.put(anchor, new Note.Section(anchor, heading, md, firstParagraph(md)));
    }

    static String firstParagraph(String md) {
        StringBuilder b = new StringBuilder();
        for (String line : md.split("\n")) {
            if (line.isBlank()) {
                if (b.length() > 0) {
                    break;
                }
                continue;
            }
            b.append(b.length() == 0 ? "" : " ").append(line.strip());
        }
        return b.toString();
    }

    private static String string(Map<String, Object> fm, String key) {
        Object v = fm.get(key);
        return v == null ? null : v.toString();
    }

    private static List<String> list(Map<String, Object> fm, String key) {
        Object v = fm.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(v.toString());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
