package io.opsdoc.checks.prometheus;

import static io.opsdoc.checks.prometheus.RulesLintCode.RULES_INVALID;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.FileGlob;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Would Prometheus load these rule files? Runs Prometheus' own validator, {@code promtool check rules FILE...}, on the
 * files a glob matches on a host ({@code local:} or {@code ssh://}): one fixed argv, no shell, killed at the deadline.
 * A file promtool rejects makes the next reload fail as a whole (see prometheus-config), so the check belongs in a
 * deploy pipeline as well as on the server. No home-made PromQL parser: promtool is the server's parser.
 */
public final class PrometheusRulesLint extends DescribedCheck<RulesLintFacts> {
    public static final String ID = "prometheus-rules-lint";
    /** Files per promtool run: bounds the argv and the output; a larger glob is checked up to this many, newest first. */
    static final int MAX_FILES = 200;
    /** Error lines kept per file: a file with 300 broken rules needs a few examples, not 300. */
    static final int MAX_ERRORS = 5;
    private static final int MAX_LINE = 300;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("rule-files", ParameterType.STRING, "/etc/prometheus/rules/*.yml",
                    "the rule files to check: an absolute path whose file name may be a glob, as in rule_files: of "
                            + "prometheus.yml (only the file name may hold wildcards)"),
            new ParameterSpec("promtool", ParameterType.STRING, "promtool",
                    "the promtool to run, of the same version as the server: promtool (on PATH) or an absolute path "
                            + "ending in /promtool"));

    private static final List<GrantSet> GRANTS = HostAccess.commandGrants(ID, "promtool check rules FILE... (the files "
            + "rule-files= matches, listed with find DIR -maxdepth 1 over ssh://)", List.of(
            "# read access to the rule files and their directory: Debian's /etc/prometheus is world-readable;",
            "# where it is not, e.g.: setfacl -m u:opsdoc:rx /etc/prometheus/rules && setfacl -m u:opsdoc:r /etc/prometheus/rules/*.yml",
            "# promtool on the host (Debian: apt-get install prometheus --no-install-recommends, then",
            "# systemctl disable --now prometheus where it should not run; or point promtool= at a copy)"),
            "promtool only reads the files; nothing is reloaded and no Prometheus API is called.");

    public PrometheusRulesLint() {
        super(ID, "local", "Would Prometheus load these rule files? promtool check rules on each file a glob matches, "
                + "with each rejected file's errors", RulesLintFacts.class, PARAMETERS,
                HostAccess.codesWith(RulesLintCode.class), GRANTS);
    }

    @Override
    public List<String> targetSchemes() {
        return HostAccess.SCHEMES;
    }

    @Override
    public void validate(Target target) {
        if (!HostAccess.SCHEMES.contains(target.scheme())) {
            throw new UsageException(ID + " reads rule files on a host: use the target local: or ssh://user@host, not "
                    + target.display());
        }
        HostAccess.validate(target);
    }

    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        FileGlob.parse("rule-files", p.string("rule-files"));
        String tool = p.string("promtool");
        if (!tool.equals("promtool") && !(tool.matches("(/[A-Za-z0-9_.+-]+)+/promtool") && !tool.contains(".."))) {
            throw new UsageException("parameter promtool: give promtool or an absolute path ending in /promtool, not '"
                    + tool + "'");
        }
    }

    @Override
    public RulesLintFacts collect(CheckContext context) throws Exception {
        String globText = context.parameters().string("rule-files");
        FileGlob glob = FileGlob.parse("rule-files", globText);
        String tool = context.parameters().string("promtool");
        String where = HostAccess.where(context.target());
        return HostAccess.with(context, host -> {
            List<FileGlob.Match> found = host.files(glob, "give the user read access to " + glob.directory());
            if (found.isEmpty()) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "no regular file on " + where + " matches "
                        + globText + ": is rule-files= the path prometheus.yml's rule_files: names?");
            }
            List<String> files = found.stream().limit(MAX_FILES).map(m -> m.path().toString())
                    .sorted(Comparator.naturalOrder()).toList();
            List<String> argv = new ArrayList<>(List.of(tool, "check", "rules"));
            argv.addAll(files);
            HostAccess.Result r = host.command(argv);
            if (r.status() == null) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, tool + " ended without an exit status (killed?)");
            }
            if (r.status() == 127) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, tool + " is not installed on " + where
                        + " (Debian package prometheus), or not on the user's PATH: set promtool= to its path");
            }
            List<RulesLintFacts.FileResult> results = parse(files, r.out(), r.err());
            boolean anyFailed = results.stream().anyMatch(f -> !f.ok());
            if ((r.status() == 0) == anyFailed || results.size() != files.size()) {
                String first = (r.err() + "\n" + r.out()).lines().filter(l -> !l.isBlank()).findFirst()
                        .orElse("nothing").strip();
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, tool + " check rules exited " + r.status()
                        + " with an answer not in promtool 2.x/3.x's format (first line: " + cut(first) + ")");
            }
            return new RulesLintFacts(where, globText, found.size(), tool, r.status(), results);
        });
    }

    /**
     * promtool prints {@code Checking FILE} then {@code SUCCESS: N rules found} on stdout per file, and for a failed
     * file {@code FAILED:} and its errors, each prefixed {@code FILE: }, on stderr (2.42 prints each error twice, and
     * sometimes glues the next {@code FAILED:} to the end of a line: both undone here).
     */
    static List<RulesLintFacts.FileResult> parse(List<String> files, String out, String err) {
        List<RulesLintFacts.FileResult> results = new ArrayList<>();
        String current = null;
        int rules = -1;
        List<String> checked = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (String line : out.split("\\R")) {
            String l = line.strip();
            if (l.startsWith("Checking ")) {
                if (current != null) {
                    checked.add(current);
                    counts.add(rules);
                }
                current = l.substring("Checking ".length());
                rules = -1;
            } else if (current != null && l.matches("SUCCESS: \\d+ rules found")) {
                rules = Integer.parseInt(l.split(" ")[1]);
            }
        }
        if (current != null) {
            checked.add(current);
            counts.add(rules);
        }
        java.util.Map<String, List<String>> errorsOf = errors(files, err);
        for (int i = 0; i < checked.size(); i++) {
            String file = checked.get(i);
            if (!files.contains(file)) {
                continue;
            }
            List<String> all = errorsOf.getOrDefault(file, List.of());
            boolean ok = counts.get(i) >= 0;
            List<String> errors = new ArrayList<>(all.subList(0, Math.min(MAX_ERRORS, all.size())));
            if (!ok && errors.isEmpty()) {
                errors.add("promtool printed no error line for this file");
            }
            if (all.size() > MAX_ERRORS) {
                errors.add("... and " + (all.size() - MAX_ERRORS) + " more");
            }
            results.add(new RulesLintFacts.FileResult(file, ok, counts.get(i), ok ? List.of() : List.copyOf(errors)));
        }
        return results;
    }

    /**
     * Each file's distinct error lines from stderr. A YAML error continues on indented lines
     * ({@code yaml: unmarshal errors:} then {@code   line 1: field ... not found}): those join the error above.
     */
    private static java.util.Map<String, List<String>> errors(List<String> files, String err) {
        java.util.Map<String, List<String>> errorsOf = new java.util.LinkedHashMap<>();
        List<String> last = null;
        for (String line : err.split("\\R")) {
            String l = line.replaceFirst("\\s+FAILED:$", "");
            String owner = owner(files, l.strip());
            if (!owner.isEmpty()) {
                String e = l.strip().substring(owner.length() + 2);
                last = errorsOf.computeIfAbsent(owner, k -> new ArrayList<>());
                last.add(e);
            } else if (last != null && !last.isEmpty() && line.startsWith(" ") && !l.isBlank()
                    && !l.strip().equals("FAILED:")) {
                last.set(last.size() - 1, last.get(last.size() - 1) + " " + l.strip());
            } else {
                last = null;
            }
        }
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        errorsOf.forEach((f, es) -> out.put(f, es.stream().map(PrometheusRulesLint::cut).distinct().toList()));
        return out;
    }

    /** The file an error line belongs to: the longest checked name it starts with (a.yml vs a.yml.bak). */
    private static String owner(List<String> files, String line) {
        return files.stream().filter(f -> line.startsWith(f + ": ")).max(Comparator.comparingInt(String::length))
                .orElse("");
    }

    private static String cut(String s) {
        return s.length() > MAX_LINE ? s.substring(0, MAX_LINE) + "..." : s;
    }

    @Override
    public void evaluate(RulesLintFacts facts, Parameters p, Evaluation.Builder out) {
        List<RulesLintFacts.FileResult> bad = facts.files().stream().filter(f -> !f.ok()).toList();
        out.metric(Metric.of("rule_files_checked", facts.files().size(), ""));
        out.metric(Metric.of("rule_files_invalid", bad.size(), ""));
        out.metric(Metric.of("rules_found", facts.files().stream().filter(RulesLintFacts.FileResult::ok)
                .mapToInt(RulesLintFacts.FileResult::rules).sum(), ""));
        String capped = facts.matched() > facts.files().size() ? " (" + facts.files().size() + " of the "
                + facts.matched() + " files " + facts.glob() + " matches, the newest)" : "";
        for (RulesLintFacts.FileResult f : bad) {
            out.finding(RULES_INVALID, Severity.CRITICAL, facts.promtool() + " check rules on " + facts.where()
                    + " rejects " + f.file() + capped + ": " + String.join("; ", f.errors()) + ". Prometheus refuses a reload "
                    + "that includes this file and keeps its previous rules (and would not start with it): fix the "
                    + "file, then run promtool check rules again before reloading",
                    Evidence.of("file", f.file(), "errors", String.join("; ", f.errors()), "error_lines", f.errors().size(),
                            "files_checked", facts.files().size(), "exit_status", facts.exitStatus()),
                    f.file());
        }
    }
}
