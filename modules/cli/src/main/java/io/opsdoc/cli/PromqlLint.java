package io.opsdoc.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsdoc.core.Json;
import io.opsdoc.core.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL half of {@code opsdoc rules lint}: every rule's expression parsed by Prometheus' own parser (promtool
 * check rules; no home-made PromQL parser), and the time-zone misuse the source notes teach ({@code offset 8h} as if
 * it converted time zones). Each rule document's groups are handed to promtool on their own, so PrometheusRule
 * manifests are checked as the Operator hands them to Prometheus, and promtool's answers are mapped back to the
 * rule's {@code expr:} line in the user's file.
 */
final class PromqlLint {
    static final String INVALID_PROMQL = "INVALID_PROMQL";
    static final String RULE_REJECTED = "RULE_REJECTED";
    static final String OFFSET_USED_AS_TIMEZONE = "OFFSET_USED_AS_TIMEZONE";
    static final String PROMQL_NOT_CHECKED = "PROMQL_NOT_CHECKED";
    static final String NOTE = "prometheus/promql-time-zones";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** promtool 2.x: {@code FILE: L:C: group "G", rule N, "NAME": could not parse expression: 1:39: parse error: ...} */
    private static final Pattern RULE_ERROR = Pattern.compile(
            ": (?:\\d+:\\d+: )?group \"(.*)\", rule (\\d+), \"(.*)\": (.*)$");
    private static final Pattern OFFSET_HOURS = Pattern.compile("\\boffset\\s+-?\\d+h\\b");
    private static final Pattern TIME_OF_DAY = Pattern.compile("\\b(hour|minute|day_of_week|day_of_month|day_of_year|"
            + "days_in_month|month|year)\\s*\\(");

    private final Optional<Path> promtool;

    PromqlLint(Optional<Path> promtool) {
        this.promtool = promtool;
    }

    /** promtool from OPSDOC_PROMTOOL, else the PATH (Debian: package prometheus). */
    static Optional<Path> findPromtool(Map<String, String> env) {
        String named = env.get("OPSDOC_PROMTOOL");
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    List<RulesLint.Finding> lint(PrometheusRuleFile file) {
        List<RulesLint.Finding> out = new ArrayList<>();
        String where = file.path.toString();
        if (promtool.isEmpty()) {
            out.add(finding(where, 1, "", "", PROMQL_NOT_CHECKED, Severity.INFO, "promtool was not found, so the "
                    + "expressions were not parsed (install Debian's prometheus package or set OPSDOC_PROMTOOL)", null));
        } else {
            for (PrometheusRuleFile.Doc doc : file.docs) {
                parse(file, doc, out);
            }
        }
        for (PrometheusRuleFile.Expr e : file.exprs) {
            if (OFFSET_HOURS.matcher(e.expr()).find() && TIME_OF_DAY.matcher(e.expr()).find()) {
                out.add(finding(where, e.line(), e.group(), e.rule(), OFFSET_USED_AS_TIMEZONE, Severity.WARNING,
                        "'offset' with a time-of-day function: offset reads the data of that many hours EARLIER, it "
                                + "does not convert UTC to a time zone; shift the timestamp instead, e.g. "
                                + "hour(vector(time() + 8 * 3600))", "offset-used-as-timezone"));
            }
        }
        return out;
    }

    private void parse(PrometheusRuleFile file, PrometheusRuleFile.Doc doc, List<RulesLint.Finding> out) {
        String where = file.path.toString();
        Path tmp = null;
        Path answerFile = null;
        try {
            tmp = Files.createTempFile("opsdoc-rules-", ".yml");
            ObjectNode groups = Json.mapper().createObjectNode();
            groups.set("groups", doc.root().at(doc.groupsPointer()));
            Files.writeString(tmp, Json.mapper().writeValueAsString(groups)); // JSON is YAML: promtool reads it as is
            // promtool's answer goes to a file, not a pipe: a long list of errors would fill the pipe and block it
            answerFile = Files.createTempFile("opsdoc-promtool-", ".txt");
            Process p = new ProcessBuilder(promtool.get().toString(), "check", "rules", tmp.toString())
                    .redirectErrorStream(true).redirectOutput(answerFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] answer;
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                out.add(finding(where, 1, "", "", PROMQL_NOT_CHECKED, Severity.WARNING, "promtool did not finish within "
                        + TIMEOUT.toSeconds() + " s, so the expressions were not parsed", null));
                return;
            }
            answer = Files.readAllBytes(answerFile);
            if (p.exitValue() == 0) {
                return;
            }
            String tmpName = tmp.toString();
            for (String line : new String(answer, StandardCharsets.UTF_8).split("\n")) {
                if (!line.strip().startsWith(tmpName)) {
                    continue;
                }
                Matcher m = RULE_ERROR.matcher(line);
                if (m.find()) {
                    int group = groupIndex(doc, m.group(1));
                    int rule = Integer.parseInt(m.group(2)) - 1;
                    int at = file.exprs.stream().filter(e -> e.doc() == doc && e.groupIndex() == group && e.ruleIndex() == rule)
                            .mapToInt(PrometheusRuleFile.Expr::line).findFirst().orElse(1);
                    String problem = m.group(4);
                    boolean parse = problem.startsWith("could not parse expression");
                    out.add(finding(where, at, m.group(1), m.group(3), parse ? INVALID_PROMQL : RULE_REJECTED, Severity.CRITICAL,
                            (parse ? "Prometheus cannot parse this expression: " : "Prometheus refuses this rule: ")
                                    + problem.replaceFirst("^could not parse expression: ", "") + hint(problem), "invalid-promql"));
                } else {
                    out.add(finding(where, 1, "", "", RULE_REJECTED, Severity.CRITICAL, "Prometheus refuses this file: "
                            + line.strip().substring(tmpName.length()).replaceFirst("^:\\s*", ""), "invalid-promql"));
                }
            }
        } catch (IOException e) {
            out.add(finding(where, 1, "", "", PROMQL_NOT_CHECKED, Severity.WARNING, "promtool could not be run ("
                    + e.getMessage() + "), so the expressions were not parsed", null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Path f : new Path[] {tmp, answerFile}) {
                if (f != null) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException e) {
                        // a temporary file in the temp directory
                    }
                }
            }
        }
    }

    private static int groupIndex(PrometheusRuleFile.Doc doc, String name) {
        var groups = doc.root().at(doc.groupsPointer());
        for (int g = 0; g < groups.size(); g++) {
            if (name.equals(groups.get(g).path("name").asText())) {
                return g;
            }
        }
        return -1;
    }

    /** The source notes' invented time-zone syntax gets the right form, not only the parser's complaint. */
    private static String hint(String problem) {
        if (problem.contains("\"|\"") || problem.contains("timezone") || problem.contains("in offset")) {
            return " (PromQL has no pipe and no timezone(); 'offset' takes a duration and reads earlier data: it does "
                    + "not change the time zone)";
        }
        return "";
    }

    private static RulesLint.Finding finding(String file, int line, String group, String rule, String code, Severity severity,
            String message, String anchor) {
        return new RulesLint.Finding(file, line, group, rule, code, severity, message, null,
                anchor == null ? null : NOTE + "#" + anchor, null, null);
    }
}
