package io.opsdoc.checks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * promtool 2.42's answer to {@code check rules good.yml bad.yml broken.yml}, as captured byte for byte: stdout holds
 * the "Checking" and SUCCESS lines, stderr the FAILED blocks with every error twice and one FAILED: glued to the end
 * of an error line. The lab produces one invalid file; this pins the parsing of several at once and of a YAML error.
 */
class PrometheusRulesLintOutputTest {
    private static final String OUT = """
            Checking /r/good.yml
              SUCCESS: 1 rules found

            Checking /r/bad.yml

            Checking /r/broken.yml

            Checking /r/prometheus.yml

            """;
    private static final String ERR = """
              FAILED:
            /r/bad.yml: 5:15: group "x", rule 1, "A": could not parse expression: 1:31: parse error: unexpected character: '|'
            /r/bad.yml: 7:15: group "x", rule 2, "B": could not parse expression: 1:15: parse error: unexpected end of input in offset, expected duration  FAILED:
            /r/bad.yml: 5:15: group "x", rule 1, "A": could not parse expression: 1:31: parse error: unexpected character: '|'
            /r/bad.yml: 7:15: group "x", rule 2, "B": could not parse expression: 1:15: parse error: unexpected end of input in offset, expected duration
              FAILED:
            /r/broken.yml: yaml: line 5: mapping values are not allowed in this context
            /r/broken.yml: yaml: line 5: mapping values are not allowed in this context
              FAILED:
            /r/prometheus.yml: yaml: unmarshal errors:
              line 1: field global not found in type rulefmt.RuleGroups
              line 2: field rule_files not found in type rulefmt.RuleGroups
            """;

    @Test
    void eachRejectedFileIsOneFindingWithItsOwnErrorsOnce() {
        List<String> files = List.of("/r/bad.yml", "/r/broken.yml", "/r/good.yml", "/r/prometheus.yml");
        List<RulesLintFacts.FileResult> results = PrometheusRulesLint.parse(files, OUT, ERR);
        assertThat(results).extracting(RulesLintFacts.FileResult::file)
                .containsExactly("/r/good.yml", "/r/bad.yml", "/r/broken.yml", "/r/prometheus.yml");
        assertThat(results.get(0).ok()).isTrue();
        assertThat(results.get(0).rules()).isEqualTo(1);
        assertThat(results.get(1).errors()).containsExactly(
                "5:15: group \"x\", rule 1, \"A\": could not parse expression: 1:31: parse error: unexpected character: '|'",
                "7:15: group \"x\", rule 2, \"B\": could not parse expression: 1:15: parse error: unexpected end of input "
                        + "in offset, expected duration");
        assertThat(results.get(2).errors()).containsExactly("yaml: line 5: mapping values are not allowed in this context");
        // a prometheus.yml matched by a too-wide glob: the indented lines belong to the error above them
        assertThat(results.get(3).errors()).containsExactly("yaml: unmarshal errors: line 1: field global not found in "
                + "type rulefmt.RuleGroups line 2: field rule_files not found in type rulefmt.RuleGroups");

        PrometheusRulesLint check = new PrometheusRulesLint();
        Parameters p = Parameters.resolve(check.id(), check.parameters(), Map.of("rule-files", "/r/*.yml"));
        Evaluation e = Evaluation.of(check, "local:", new RulesLintFacts("local:", "/r/*.yml", 4, "promtool", 1, results), p);
        assertThat(e.findings()).extracting(Finding::code).containsExactly("RULES_INVALID", "RULES_INVALID", "RULES_INVALID");
        Finding bad = e.findings().get(0);
        assertThat(bad.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(bad.evidence()).containsEntry("file", "/r/bad.yml").containsEntry("error_lines", 2);
        assertThat(bad.summary()).contains("on local: rejects /r/bad.yml", "unexpected character: '|'").doesNotContain("broken.yml");
        assertThat(e.findings().get(1).summary()).contains("/r/broken.yml", "yaml: line 5");
    }
}
