package io.opsdoc.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The README and docs/ run as written: every {@code opsdoc} command in a {@code ```sh} block of README.md or
 * docs/*.md is run by the built launcher, from the repository root with {@code opsdoc} on PATH, as a user would paste
 * it, and must exit as its comment says ({@code # exit 2}, {@code # exit 0 or 1}; otherwise 0, or a verdict 0-2 for
 * {@code check} and {@code gate}). A block preceded by {@code <!-- doc-commands: examples -->} holds examples for real
 * hosts, which cannot run here: their check ids and {@code --set} parameters must still exist, and the files they name
 * must exist unless they are the reader's own. {@code opsdoc lab} commands are not run here: the lab tests run every
 * scenario ({@code LabCommand*Test}, the scenario tests).
 */
@Tag("lab")
class DocCommandsIT {
    private static final Path REPO = Path.of(System.getProperty("opsdoc.repo", "../..")).toAbsolutePath().normalize();
    private static final Path BIN = REPO.resolve("modules/cli/target/opsdoc/bin");
    static final String EXAMPLES = "<!-- doc-commands: examples -->";
    private static final Pattern EXIT = Pattern.compile("exit (\\d+)(?: or (\\d+))?");

    record DocCommand(String where, String prelude, String command, String comment, boolean example) {
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedCommandRunsOrNamesRealThings() throws Exception {
        List<DocCommand> commands = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(REPO.resolve("README.md")));
        try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        for (Path f : files) {
            commands.addAll(extract(REPO.relativize(f).toString(), Files.readAllLines(f, StandardCharsets.UTF_8)));
        }
        assertThat(commands).as("opsdoc commands found in README.md and docs/").hasSizeGreaterThan(20);
        Map<String, Set<String>> checks = knownChecks();
        return commands.stream().map(c -> DynamicTest.dynamicTest(c.where() + ": " + c.command(), () -> {
            if (c.example()) {
                assertNamesRealThings(c, checks);
            } else if (!words(c.command()).get(1).equals("lab")) {
                assertRunsAsDocumented(c);
            }
        }));
    }

    /** The {@code opsdoc ...} lines of {@code ```sh} blocks, continuation lines joined, the trailing comment apart. */
    static List<DocCommand> extract(String file, List<String> lines) {
        List<DocCommand> found = new ArrayList<>();
        boolean inSh = false;
        boolean inFence = false;
        boolean examples = false;
        String previous = "";
        StringBuilder pending = null;
        StringBuilder prelude = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inFence = !inFence;
                inSh = inFence && line.substring(3).trim().equals("sh");
                examples = inFence && previous.trim().equals(EXAMPLES);
                prelude.setLength(0);
                continue;
            }
            if (!line.isBlank()) {
                previous = line;
            }
            if (!inSh) {
                continue;
            }
            String t = line.strip();
            if (pending == null) {
                if (t.startsWith("$ ")) {
                    t = t.substring(2);
                }
                if (!t.startsWith("opsdoc ")) {
                    // the block's shell state before the command (cd, export) is part of running it as written; other lines
                    // (installs, the reader's own tools) are not run
                    if (t.startsWith("cd ") || t.startsWith("export ")) {
                        prelude.append(t).append('\n');
                    }
                    continue;
                }
                pending = new StringBuilder();
                start = i + 1;
            }
            if (t.endsWith("\\")) {
                pending.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            pending.append(t);
            String[] cmdAndComment = splitComment(pending.toString());
            found.add(new DocCommand(file + ":" + start, prelude.toString(), cmdAndComment[0], cmdAndComment[1], examples));
            pending = null;
        }
        return found;
    }

    /** The command before an unquoted {@code  #}, and the comment after it. */
    static String[] splitComment(String s) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote != 0) {
                quote = ch == quote ? 0 : quote;
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == '#' && i > 0 && Character.isWhitespace(s.charAt(i - 1))) {
                return new String[] {s.substring(0, i).strip(), s.substring(i + 1).strip()};
            }
        }
        return new String[] {s.strip(), ""};
    }

    /** Shell words, quotes removed (the commands use plain single and double quotes only). */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (char ch : s.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    w.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                w = w == null ? new StringBuilder() : w;
            } else if (Character.isWhitespace(ch)) {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
            } else {
                w = w == null ? new StringBuilder() : w;
                w.append(ch);
            }
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }

    private static void assertRunsAsDocumented(DocCommand c) throws Exception {
        // a pipe hands opsdoc's output to the reader's own tool (kubectl apply): opsdoc's part is what runs here
        String own = pipeHead(c.command());
        Set<Integer> expected = new LinkedHashSet<>();
        Matcher m = EXIT.matcher(c.comment());
        if (m.find()) {
            expected.add(Integer.parseInt(m.group(1)));
            if (m.group(2) != null) {
                expected.add(Integer.parseInt(m.group(2)));
            }
        } else if (List.of("check", "gate").contains(words(own).get(1))) {
            expected.addAll(List.of(0, 1, 2));
        } else {
            expected.add(0);
        }
        Result r = run(c.prelude() + own);
        assertThat(r.exit()).as("%s\n  $ %s\n  exited %d, the docs say %s\n%s", c.where(), own, r.exit(), expected, r.output())
                .isIn(expected);
        assertThat(r.output()).as("%s: %s", c.where(), own).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private static void assertNamesRealThings(DocCommand c, Map<String, Set<String>> checks) {
        List<String> w = words(pipeHead(c.command()));
        String sub = w.get(1);
        assertThat(sub).as(c.where() + ": a subcommand of opsdoc")
                .isIn("check", "gate", "list", "explain", "grants", "replay", "serve", "rules", "lab", "generate-completion", "--version");
        List<String> named = new ArrayList<>();
        for (int i = 2; i < w.size(); i++) {
            String a = w.get(i);
            if (sub.equals("check") || sub.equals("grants")) {
                if (!a.startsWith("-") && !a.contains(":") && !w.get(i - 1).equals("--set") && !w.get(i - 1).startsWith("-")) {
                    named.add(a);
                }
            }
            if (a.equals("-c") && i + 1 < w.size() && !w.get(i + 1).equals("opsdoc.yaml")) {
                // opsdoc.yaml is the reader's own config; any other file a command names ships with the project
                assertThat(REPO.resolve(w.get(i + 1))).as(c.where() + ": -c names a file of the repository").exists();
            }
            if (a.equals("--set") && i + 1 < w.size()) {
                named.forEach(id -> assertThat(checks).as(c.where() + ": check " + id).containsKey(id));
                String key = w.get(i + 1).split("=", 2)[0];
                assertThat(named.stream().anyMatch(id -> checks.getOrDefault(id, Set.of()).contains(key)))
                        .as("%s: --set %s is a parameter of %s", c.where(), key, named).isTrue();
            }
        }
        named.forEach(id -> assertThat(checks).as(c.where() + ": check " + id).containsKey(id));
    }

    private static String pipeHead(String command) {
        int bar = command.indexOf(" | ");
        return bar < 0 ? command : command.substring(0, bar).strip();
    }

    /** Check id to its parameter names, from {@code opsdoc list} as a reader sees it. */
    private static Map<String, Set<String>> knownChecks() throws Exception {
        Result r = run("opsdoc list");
        assertThat(r.exit()).as(r.output()).isZero();
        Map<String, Set<String>> checks = new LinkedHashMap<>();
        Set<String> current = null;
        Pattern head = Pattern.compile("^([a-z0-9-]+)  \\(");
        Pattern param = Pattern.compile("^\\s+--set ([a-z0-9-]+)=");
        for (String line : r.output().lines().toList()) {
            Matcher h = head.matcher(line);
            Matcher p = param.matcher(line);
            if (h.find()) {
                current = new LinkedHashSet<>();
                checks.put(h.group(1), current);
            } else if (p.find() && current != null) {
                current.add(p.group(1));
            }
        }
        assertThat(checks).as("opsdoc list").containsKey("mysql-replication");
        return checks;
    }

    record Result(int exit, String output) {
    }

    private static Result run(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(REPO.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("PATH", BIN + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.remove("OPSDOC_CONFIG");
        Path out = Files.createTempFile("doc-command", ".out");
        try {
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
