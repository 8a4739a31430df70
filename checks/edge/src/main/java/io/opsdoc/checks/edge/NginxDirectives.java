package io.opsdoc.checks.edge;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An nginx configuration as a tree of directives, the way nginx itself reads it: tokens separated by blanks, quotes
 * ('..', "..") and backslash escapes, {@code #} comments, statements ended by {@code ;} and blocks by {@code {...}};
 * {@code include} replaced in place by the included files (relative to the main file's directory, globs sorted), at
 * most {@link NginxConfig#MAX_FILES} files. Unlike the regex reading of upstreams in {@link NginxConfig}, the tree keeps
 * each directive's context (main, events, http, server, location, upstream), which the tuning rules need.
 */
final class NginxDirectives {
    /** One directive; {@code block} is null for a simple one ({@code name args;}). */
    record Directive(String name, List<String> args, List<Directive> block, String file) {
        String arg(int i) {
            return i < args.size() ? args.get(i) : "";
        }

        /** The directives of this block named {@code name}, in order. */
        List<Directive> all(String name) {
            return block == null ? List.of() : block.stream().filter(d -> d.name.equals(name)).toList();
        }

        /** The last directive of this block named {@code name} (nginx keeps the last, or rejects duplicates). */
        Directive one(String name) {
            List<Directive> all = all(name);
            return all.isEmpty() ? null : all.get(all.size() - 1);
        }
    }

    private final Path base;
    private final Set<Path> seen = new LinkedHashSet<>();

    private NginxDirectives(Path base) {
        this.base = base;
    }

    /** The main context of {@code main} and everything it includes, as one block named "main". */
    static Directive read(Path main) throws IOException {
        Path file = main.toAbsolutePath().normalize();
        NginxDirectives r = new NginxDirectives(file.getParent());
        return new Directive("main", List.of(), r.file(file), file.toString());
    }

    /** Parses configuration text without following includes (tests, saved fragments). */
    static Directive parse(String text) {
        NginxDirectives r = new NginxDirectives(Path.of("/nonexistent"));
        try {
            return new Directive("main", List.of(), r.block(new Tokens(text), "<text>", false), "<text>");
        } catch (IOException e) {
            throw new IllegalStateException(e); // no file is read
        }
    }

    private List<Directive> file(Path file) throws IOException {
        if (seen.size() >= NginxConfig.MAX_FILES || !seen.add(file)) {
            return List.of();
        }
        return block(new Tokens(Files.readString(file)), file.toString(), false);
    }

    private List<Directive> block(Tokens t, String file, boolean nested) throws IOException {
        List<Directive> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        String tok;
        while ((tok = t.next()) != null) {
            if (tok.equals(";")) {
                if (!words.isEmpty()) {
                    add(out, words, null, file);
                }
                words = new ArrayList<>();
            } else if (tok.equals("{")) {
                List<Directive> inner = block(t, file, true);
                if (!words.isEmpty()) {
                    out.add(new Directive(words.get(0), List.copyOf(words.subList(1, words.size())), inner, file));
                }
                words = new ArrayList<>();
            } else if (tok.equals("}")) {
                if (nested) {
                    return out;
                }
            } else {
                words.add(tok);
            }
        }
        return out;
    }

    private void add(List<Directive> out, List<String> words, List<Directive> block, String file) throws IOException {
        if (!words.get(0).equals("include") || words.size() < 2) {
            out.add(new Directive(words.get(0), List.copyOf(words.subList(1, words.size())), block, file));
            return;
        }
        Path p = base.resolve(words.get(1)).normalize();
        Path dir = p.getParent();
        String glob = p.getFileName().toString();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        if (!glob.contains("*") && !glob.contains("?") && !glob.contains("[")) {
            if (Files.isRegularFile(p)) {
                out.addAll(file(p));
            }
            return;
        }
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(matches::add);
        }
        Collections.sort(matches);
        for (Path f : matches) {
            if (Files.isRegularFile(f)) {
                out.addAll(file(f));
            }
        }
    }

    /** nginx's tokens: words (quotes removed, escapes applied) and the three specials ; { }. */
    private static final class Tokens {
        private final String s;
        private int i;

        Tokens(String s) {
            this.s = s;
        }

        String next() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '#') {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else {
                    break;
                }
            }
            if (i >= s.length()) {
                return null;
            }
            char c = s.charAt(i);
            if (c == ';' || c == '{' || c == '}') {
                i++;
                return String.valueOf(c);
            }
            StringBuilder b = new StringBuilder();
            if (c == '"' || c == '\'') {
                i++;
                while (i < s.length() && s.charAt(i) != c) {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    b.append(s.charAt(i++));
                }
                i++;
                return b.toString();
            }
            while (i < s.length()) {
                c = s.charAt(i);
                if (Character.isWhitespace(c) || c == ';' || c == '{' || c == '}') {
                    break;
                }
                if (c == '\\' && i + 1 < s.length()) {
                    i++;
                }
                b.append(s.charAt(i++));
            }
            return b.toString();
        }
    }
}
