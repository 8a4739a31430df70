package io.opsdoc.checks.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a Dockerfile into instructions the way the builder does for the cases the lint needs: a trailing backslash
 * continues the line, lines starting with # are comments (also inside a continued instruction), blank lines inside a
 * continuation are skipped. Heredocs and a changed escape character are not interpreted (their bodies read as
 * arguments), which is harmless for the rules here.
 */
final class DockerfileParser {
    private DockerfileParser() {
    }

    static List<DockerfileFacts.Instruction> parse(String text) {
        List<DockerfileFacts.Instruction> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || current == null && trimmed.isEmpty()) {
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                add(out, start, current.toString().strip());
                current = null;
            }
        }
        if (current != null) {
            add(out, start, current.toString().strip());
        }
        return out;
    }

    private static void add(List<DockerfileFacts.Instruction> out, int line, String text) {
        if (text.isEmpty()) {
            return;
        }
        int sp = text.indexOf(' ');
        String keyword = (sp < 0 ? text : text.substring(0, sp)).toUpperCase(Locale.ROOT);
        out.add(new DockerfileFacts.Instruction(line, keyword, sp < 0 ? "" : text.substring(sp + 1).strip()));
    }

    /** The words of an exec-form JSON array, or null when {@code args} is shell form. */
    static List<String> execForm(String args) {
        String s = args.strip();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            return null;
        }
        try {
            List<String> words = new ArrayList<>();
            io.opsdoc.core.Json.mapper().readTree(s).forEach(n -> words.add(n.asText()));
            return words;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Arguments of COPY/ADD without their --flags: sources..., destination last. */
    static List<String> copyOperands(String args) {
        List<String> exec = execForm(args);
        List<String> words = new ArrayList<>();
        for (String w : exec != null ? exec : List.of(args.split("\\s+"))) {
            if (!w.startsWith("--") && !w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }
}
