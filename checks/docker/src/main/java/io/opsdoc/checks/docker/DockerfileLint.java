package io.opsdoc.checks.docker;

import static io.opsdoc.checks.docker.DockerfileCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.InputFiles;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Dockerfile practices of the notes, checked statically on a file ({@code file:///src/app/Dockerfile}): a pinned
 * base image, a non-root USER, COPY rather than ADD, deletions in the layer that created the files, merged RUNs, and an
 * entrypoint script that hands over to CMD with {@code exec "$@"}. Where hadolint has the same rule, the finding names
 * its id, so teams that run hadolint recognise it; rules the notes do not state are left to hadolint.
 */
public final class DockerfileLint extends DescribedCheck<DockerfileFacts> {
    public static final String ID = "dockerfile-lint";
    static final String NOTE = "docker/dockerfile";
    private static final long MAX_FILE = 1 << 20;
    private static final Pattern EXEC_ARGS = Pattern.compile("(?m)^\\s*exec\\s+.*\"\\$(\\{@}|@)\"");
    private static final Pattern EXEC_TYPO = Pattern.compile("(?m)^\\s*exec\\s+\"@\"");
    private static final Pattern ARCHIVE = Pattern.compile("(?i).*\\.(tar|tar\\.gz|tgz|tar\\.bz2|tbz2?|tar\\.xz|txz)$");

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("context", ParameterType.STRING, "",
                    "build context directory, where COPY sources (the entrypoint script) are read; empty: the "
                            + "Dockerfile's directory"),
            new ParameterSpec("max-consecutive-runs", ParameterType.INTEGER, "1",
                    "RUN instructions in a row before RUNS_NOT_MERGED (1: two in a row is reported, as hadolint DL3059)"));

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("a file", List.of("read the Dockerfile and its build context"),
            "static: nothing is built, pulled or run; no Docker daemon is contacted."));

    public DockerfileLint() {
        super(ID, "file", "Does the Dockerfile follow the notes' practices (pinned base, non-root USER, COPY, one "
                + "layer per cleanup, exec \"$@\" in the entrypoint)?", DockerfileFacts.class, PARAMETERS,
                DockerfileCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        if (!target.hosts().isEmpty() || target.path().isEmpty()) {
            throw new UsageException("dockerfile-lint reads a local file: file:///path/to/Dockerfile (three slashes), not "
                    + target.display());
        }
    }

    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        InputFiles.requireReadable("Dockerfile", target.path());
        if (!p.string("context").isBlank() && !Files.isDirectory(Path.of(p.string("context")))) {
            throw new UsageException("parameter context: " + p.string("context") + " is not a directory");
        }
    }

    @Override
    public DockerfileFacts collect(CheckContext context) throws Exception {
        Path file = Path.of(context.target().path());
        String text;
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, file + " is larger than 1 MiB: not a Dockerfile");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot read " + file + ": " + e.getMessage(), e);
        }
        List<DockerfileFacts.Instruction> all = DockerfileParser.parse(text);
        String ctx = context.parameters().string("context");
        Path dir = ctx.isBlank() ? file.toAbsolutePath().getParent() : Path.of(ctx);
        Map<String, String> scripts = new LinkedHashMap<>();
        for (String entry : entrypoints(lastStage(all))) {
            String base = basename(entry);
            for (DockerfileFacts.Instruction i : all) {
                if (!(i.keyword().equals("COPY") || i.keyword().equals("ADD")) || i.args().contains("--from")) {
                    continue;
                }
                List<String> ops = DockerfileParser.copyOperands(i.args());
                for (String src : ops.subList(0, Math.max(0, ops.size() - 1))) {
                    String dest = ops.get(ops.size() - 1);
                    if (basename(src).equals(base) || basename(dest).equals(base)) {
                        Path p = dir.resolve(src).normalize();
                        if (p.startsWith(dir) && Files.isRegularFile(p) && Files.size(p) <= MAX_FILE) {
                            scripts.put(entry, Files.readString(p, StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        }
        return new DockerfileFacts(file.toString(), all, scripts);
    }

    @Override
    public void evaluate(DockerfileFacts f, Parameters p, Evaluation.Builder out) {
        List<DockerfileFacts.Instruction> all = f.instructions();
        baseImages(f, out);
        List<DockerfileFacts.Instruction> last = lastStage(all);
        user(f, last, out);
        for (DockerfileFacts.Instruction i : all) {
            if (i.keyword().equals("ADD")) {
                List<String> ops = DockerfileParser.copyOperands(i.args());
                List<String> sources = ops.subList(0, Math.max(0, ops.size() - 1));
                if (!sources.isEmpty() && sources.stream().noneMatch(s -> s.contains("://") || s.startsWith("git@")
                        || ARCHIVE.matcher(s).matches())) {
                    out.finding(ADD_INSTEAD_OF_COPY, Severity.WARNING, f.path() + ":" + i.line() + ": ADD " + i.args()
                            + " copies local files; COPY does exactly that, ADD also unpacks archives and fetches URLs "
                            + "(hadolint DL3020)", Evidence.of("line", i.line(), "instruction", "ADD " + i.args(),
                                    "hadolint", "DL3020"), "line " + i.line());
                }
            }
        }
        deletions(f, out);
        runs(f, p, out);
        entrypoint(f, last, out);
    }

    private static void baseImages(DockerfileFacts f, Evaluation.Builder out) {
        Set<String> stages = new java.util.HashSet<>();
        for (DockerfileFacts.Instruction i : f.instructions()) {
            if (!i.keyword().equals("FROM")) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(i.args().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            if (words.isEmpty()) {
                continue;
            }
            String image = words.get(0);
            // FROM an earlier stage of this file is no base image
            boolean stage = stages.contains(image.toLowerCase(Locale.ROOT));
            if (words.size() >= 3 && words.get(1).equalsIgnoreCase("as")) {
                stages.add(words.get(2).toLowerCase(Locale.ROOT));
            }
            if (stage || image.contains("$") || image.equalsIgnoreCase("scratch") || image.contains("@")) {
                continue;
            }
            int slash = image.lastIndexOf('/');
            int colon = image.lastIndexOf(':');
            String tag = colon > slash ? image.substring(colon + 1) : null;
            if (tag == null || tag.equals("latest")) {
                String rule = tag == null ? "DL3006" : "DL3007";
                out.finding(LATEST_BASE_IMAGE, Severity.WARNING, f.path() + ":" + i.line() + ": FROM " + image
                        + (tag == null ? " has no tag, which means :latest" : " uses :latest")
                        + ": every build may get a different base; pin a version tag or a digest (hadolint " + rule + ")",
                        Evidence.of("line", i.line(), "image", image, "hadolint", rule), "line " + i.line());
            }
        }
    }

    private static void user(DockerfileFacts f, List<DockerfileFacts.Instruction> last, Evaluation.Builder out) {
        DockerfileFacts.Instruction user = null;
        for (DockerfileFacts.Instruction i : last) {
            if (i.keyword().equals("USER")) {
                user = i;
            }
        }
        if (last.isEmpty()) {
            return;
        }
        if (user == null) {
            out.finding(RUNS_AS_ROOT, Severity.WARNING, f.path() + ": the final stage (line " + last.get(0).line()
                    + ") sets no USER, so the container runs as root unless docker run --user says otherwise; add a "
                    + "user and USER it", Evidence.of("stage_line", last.get(0).line(), "user", "(none)"));
            return;
        }
        String name = user.args().split("[:\\s]")[0];
        if (name.equals("root") || name.equals("0")) {
            out.finding(RUNS_AS_ROOT, Severity.WARNING, f.path() + ":" + user.line() + ": the last USER of the final stage "
                    + "is " + user.args() + ": the container runs as root (hadolint DL3002)",
                    Evidence.of("line", user.line(), "user", user.args(), "hadolint", "DL3002"));
        }
    }

    /** Files removed by a RUN that an earlier instruction of the same stage created stay in that earlier layer. */
    private static void deletions(DockerfileFacts f, Evaluation.Builder out) {
        Map<String, Integer> created = new LinkedHashMap<>();
        for (DockerfileFacts.Instruction i : f.instructions()) {
            switch (i.keyword()) {
                case "FROM" -> created.clear();
                case "COPY", "ADD" -> {
                    List<String> ops = DockerfileParser.copyOperands(i.args());
                    if (!ops.isEmpty()) {
                        created.putIfAbsent(ops.get(ops.size() - 1), i.line());
                        for (String s : ops.subList(0, ops.size() - 1)) {
                            created.putIfAbsent(basename(s), i.line());
                        }
                    }
                }
                case "RUN" -> {
                    String cmd = i.args();
                    for (String target : removed(cmd)) {
                        String t = target.replaceAll("\\*+$", "");
                        for (var c : created.entrySet()) {
                            if (!t.isEmpty() && (c.getKey().equals(t) || c.getKey().startsWith(t.endsWith("/") ? t : t + "/")
                                    || t.startsWith(c.getKey().endsWith("/") ? c.getKey() : c.getKey() + "/"))) {
                                out.finding(LAYER_DELETE_INEFFECTIVE, Severity.WARNING, f.path() + ":" + i.line() + ": rm "
                                        + target + " deletes what line " + c.getValue() + " created in an earlier layer: "
                                        + "the bytes stay in the image; create, use and delete in one RUN (or use a "
                                        + "multi-stage build)", Evidence.of("line", i.line(), "removed", target,
                                                "created_at_line", c.getValue(), "created", c.getKey()), "line " + i.line() + " " + target);
                                break;
                            }
                        }
                    }
                    for (String w : cmd.split("[\\s;&|]+")) {
                        if (w.startsWith("/") && w.length() > 1) {
                            created.putIfAbsent(w, i.line());
                        } else if (w.startsWith("http://") || w.startsWith("https://")) {
                            created.putIfAbsent(basename(w), i.line());
                        }
                    }
                    if (cmd.contains("apt-get update")) {
                        created.putIfAbsent("/var/lib/apt/lists/", i.line());
                    }
                }
                default -> {
                }
            }
        }
    }

    /** Operands of every rm in a shell command, flags dropped. */
    static List<String> removed(String cmd) {
        List<String> out = new ArrayList<>();
        for (String part : cmd.split("&&|\\|\\||;|\\|")) {
            String[] w = part.strip().split("\\s+");
            if (w.length > 1 && w[0].equals("rm")) {
                for (int k = 1; k < w.length; k++) {
                    if (!w[k].startsWith("-")) {
                        out.add(w[k]);
                    }
                }
            }
        }
        return out;
    }

    private static void runs(DockerfileFacts f, Parameters p, Evaluation.Builder out) {
        long max = Math.max(1, p.integer("max-consecutive-runs"));
        List<DockerfileFacts.Instruction> streak = new ArrayList<>();
        List<DockerfileFacts.Instruction> all = new ArrayList<>(f.instructions());
        all.add(new DockerfileFacts.Instruction(Integer.MAX_VALUE, "END", ""));
        for (DockerfileFacts.Instruction i : all) {
            if (i.keyword().equals("RUN")) {
                streak.add(i);
                continue;
            }
            if (streak.size() > max) {
                int first = streak.get(0).line();
                out.finding(RUNS_NOT_MERGED, Severity.INFO, f.path() + ":" + first + ": " + streak.size() + " RUN "
                        + "instructions in a row (lines " + streak.stream().map(r -> String.valueOf(r.line()))
                                .collect(java.util.stream.Collectors.joining(", ")) + "): each is a layer; join them with "
                        + "&& into one RUN (hadolint DL3059)", Evidence.of("line", first, "runs", streak.size(),
                                "max-consecutive-runs", max, "hadolint", "DL3059"), "line " + first);
            }
            streak.clear();
        }
    }

    private static void entrypoint(DockerfileFacts f, List<DockerfileFacts.Instruction> last, Evaluation.Builder out) {
        for (String entry : entrypoints(last)) {
            String script = f.scripts().get(entry);
            if (script == null || EXEC_ARGS.matcher(script).find()) {
                continue;
            }
            boolean typo = EXEC_TYPO.matcher(script).find();
            out.finding(ENTRYPOINT_WITHOUT_EXEC, Severity.WARNING, f.path() + ": the entrypoint script " + entry
                    + (typo ? " ends with exec \"@\" (a typo: that runs a program named @)" : " has no exec \"$@\"")
                    + ": the CMD runs as a child of the script, not as PID 1, so docker stop's SIGTERM never reaches it "
                    + "(it is killed after the stop timeout)", Evidence.of("script", entry, "exec_typo", typo));
        }
    }

    static List<DockerfileFacts.Instruction> lastStage(List<DockerfileFacts.Instruction> all) {
        int from = 0;
        for (int k = 0; k < all.size(); k++) {
            if (all.get(k).keyword().equals("FROM")) {
                from = k;
            }
        }
        return all.subList(from, all.size());
    }

    /** Scripts the last ENTRYPOINT runs: its first word (exec form) or first token (shell form), if it is a script. */
    static List<String> entrypoints(List<DockerfileFacts.Instruction> stage) {
        DockerfileFacts.Instruction e = null;
        for (DockerfileFacts.Instruction i : stage) {
            if (i.keyword().equals("ENTRYPOINT")) {
                e = i;
            }
        }
        if (e == null) {
            return List.of();
        }
        List<String> exec = DockerfileParser.execForm(e.args());
        String first = exec != null ? (exec.isEmpty() ? "" : exec.get(0)) : e.args().split("\\s+")[0];
        return first.isEmpty() || first.equals("/bin/sh") || first.equals("sh") || first.equals("tini")
                ? List.of() : List.of(first);
    }

    static String basename(String path) {
        String s = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int q = s.indexOf('?');
        s = q >= 0 ? s.substring(0, q) : s;
        return s.substring(s.lastIndexOf('/') + 1);
    }
}
