package io.opsdoc.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.opsdoc.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opsdoc rules lint} and {@code annotate} on upstream-style rule files (kubernetes-mixin, mysqld-mixin,
 * awesome-prometheus-alerts, a PrometheusRule object, our own alerts). Every lint code is produced here and shown
 * absent where the rule is right; annotated files are checked by promtool itself.
 */
@Tag("lab")
class RulesCommandTest {
    private static final Path DIR = Path.of("src/test/resources/rules");
    private static final Path UPSTREAM = DIR.resolve("upstream.rules.yaml");
    private static final Path OPERATOR = DIR.resolve("prometheusrule.yaml");
    private static final Path MAPPINGS = DIR.resolve("opsdoc.yaml");
    private static final String BASE = "https://opsdoc.example/notes";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    /** "Alert CODE" for every finding of a JSON lint run. */
    private static Set<String> codes(Cli c) throws IOException {
        Set<String> out = new TreeSet<>();
        for (JsonNode f : Json.mapper().readTree(c.out()).get("findings")) {
            out.add(f.get("alert").asText() + " " + f.get("code").asText());
        }
        return out;
    }

    private static JsonNode finding(Cli c, String alert, String code) throws IOException {
        for (JsonNode f : Json.mapper().readTree(c.out()).get("findings")) {
            if (f.get("alert").asText().equals(alert) && f.get("code").asText().equals(code)) {
                return f;
            }
        }
        throw new AssertionError("no " + code + " for " + alert + " in " + c.out());
    }

    @Test
    void lintReportsEachCodeOnTheAlertsThatHaveIt() throws IOException {
        Cli c = Cli.run("rules", "lint", "--format", "json", "--base-url", BASE, UPSTREAM.toString(), OPERATOR.toString());
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        assertThat(codes(c)).containsExactlyInAnyOrder(
                "KubeNodeNotReady NO_RUNBOOK_URL",
                "KubeletDown RUNBOOK_URL_FOREIGN",
                "MySQLReplicationLag NO_RUNBOOK_URL",
                "MySQLReplicationNotRunning RUNBOOK_URL_BROKEN",
                "RedisOutOfConfiguredMaxmemory NO_RUNBOOK_URL",
                "RedisReplicationBroken NO_RUNBOOK_URL",
                "CheckoutErrorsHigh NO_RUNBOOK_URL", "CheckoutErrorsHigh NO_NOTE",
                "PaymentsQueueBacklog RUNBOOK_URL_FOREIGN", "PaymentsQueueBacklog NO_NOTE",
                "OrdersReplicaBehind NO_RUNBOOK_URL", "OrdersReplicaBehind NO_NOTE",
                "ProbesTimingOut RUNBOOK_URL_BROKEN", "ProbesTimingOut NO_NOTE",
                "KubePodCrashLooping NO_RUNBOOK_URL",
                "KubeDeploymentReplicasMismatch RUNBOOK_URL_FOREIGN",
                "KubeletTooManyPods NO_RUNBOOK_URL");
        // absent: a working opsdoc link has nothing to report; recording rules and other objects are not alerts
        assertThat(codes(c)).noneMatch(s -> s.startsWith("KafkaUnderReplicatedPartitionCount "))
                .noneMatch(s -> s.contains("node_namespace_pod_container"));
        JsonNode root = Json.mapper().readTree(c.out());
        assertThat(root.get("alerts").asInt()).isEqualTo(14);
        assertThat(root.get("recording_rules").asInt()).isEqualTo(1);

        JsonNode missing = finding(c, "KubeNodeNotReady", "NO_RUNBOOK_URL");
        assertThat(missing.get("severity").asText()).isEqualTo("WARNING");
        assertThat(missing.get("line").asInt()).isEqualTo(7);
        assertThat(missing.get("note").asText()).isEqualTo("kubernetes/node-notready");
        assertThat(missing.get("check").asText()).isEqualTo("k8s-node-notready");
        assertThat(missing.get("suggested_runbook_url").asText()).isEqualTo(BASE + "/en/kubernetes/node-notready");
        assertThat(finding(c, "CheckoutErrorsHigh", "NO_RUNBOOK_URL").get("suggested_runbook_url").isNull()).isTrue();
        JsonNode broken = finding(c, "MySQLReplicationNotRunning", "RUNBOOK_URL_BROKEN");
        assertThat(broken.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(broken.get("message").asText()).contains("has no section #sql-thread-dead");
        assertThat(finding(c, "ProbesTimingOut", "RUNBOOK_URL_BROKEN").get("message").asText()).contains("there is no note opsdoc/no-such-note");
        assertThat(finding(c, "KubeletDown", "RUNBOOK_URL_FOREIGN").get("severity").asText()).isEqualTo("INFO");
        assertThat(finding(c, "PaymentsQueueBacklog", "NO_NOTE").get("severity").asText()).isEqualTo("INFO");
        assertThat(finding(c, "KubePodCrashLooping", "NO_RUNBOOK_URL").get("file").asText()).isEqualTo(OPERATOR.toString());
    }

    @Test
    void promqlThatPrometheusCannotParseIsCriticalAtItsExprLineAndTheTimeZoneMisuseIsNamed() throws Exception {
        ExternalTool.require("promtool");
        Path f = Files.writeString(tmp.resolve("bad.rules.yml"), """
                groups:
                  - name: demo
                    rules:
                      - alert: Good
                        expr: up == 0
                      - alert: Unclosed
                        expr: rate(http_requests_total[5m] offset 8h
                      - record: job:requests:tz
                        expr: sum by (job) (rate(x[5m]) offset UTC+8)
                      - alert: BusinessHours
                        expr: hour() offset 8h >= 9 and on() up == 0
                      - alert: Piped
                        expr: 'my_metric | timezone(offset: 8h)'
                """);
        Cli c = Cli.run("rules", "lint", f.toString());
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        assertThat(c.out()).contains(f + ":7: CRITICAL INVALID_PROMQL Unclosed: Prometheus cannot parse this expression: "
                        + "1:39: parse error: unclosed left parenthesis")
                .contains(f + ":9: CRITICAL INVALID_PROMQL job:requests:tz: Prometheus cannot parse this expression: ")
                .contains("in offset, expected duration (PromQL has no pipe and no timezone()")
                .contains(f + ":13: CRITICAL INVALID_PROMQL Piped:")
                .contains(f + ":11: WARNING OFFSET_USED_AS_TIMEZONE BusinessHours: 'offset' with a time-of-day function")
                .doesNotContain("INVALID_PROMQL Good").doesNotContain("OFFSET_USED_AS_TIMEZONE Unclosed")
                .doesNotContain("opsdoc-rules-");
        JsonNode invalid = finding(Cli.run("rules", "lint", f.toString(), "--format", "json"), "Unclosed", "INVALID_PROMQL");
        assertThat(invalid.get("note").asText()).isEqualTo("prometheus/promql-time-zones#invalid-promql");
        assertThat(invalid.get("line").asInt()).isEqualTo(7);
        assertThat(Cli.run("explain", "prometheus/promql-time-zones#offset-used-as-timezone").exit()).isZero();
    }

    @Test
    void aRuleThatParsesButThatPrometheusStillRefusesIsRejected() throws Exception {
        ExternalTool.require("promtool");
        Path f = Files.writeString(tmp.resolve("rejected.rules.yml"), """
                groups:
                  - name: demo
                    rules:
                      - alert: BadLabel
                        expr: up == 0
                        labels:
                          "bad-label": x
                """);
        Cli c = Cli.run("rules", "lint", f.toString());
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        assertThat(c.out()).contains(f + ":5: CRITICAL RULE_REJECTED BadLabel: Prometheus refuses this rule: invalid label "
                + "name: bad-label");
    }

    @Test
    void withoutPromtoolTheLintSaysThePromqlWasNotParsed() {
        Cli c = Cli.run(Map.of("OPSDOC_PROMTOOL", "/nonexistent/promtool"), "rules", "lint", UPSTREAM.toString());
        assertThat(c.out()).contains(UPSTREAM + ":1: INFO PROMQL_NOT_CHECKED: promtool was not found");
    }

    @Test
    void textOutputHasAVerdictThenFileLineFindings() {
        Cli c = Cli.run("rules", "lint", UPSTREAM.toString());
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.out().lines().findFirst().orElseThrow())
                .isEqualTo("RULES CRITICAL - 11 alerts in 1 file (1 recording rule: PromQL only): 2 CRITICAL, 6 WARNING, 6 INFO");
        assertThat(c.out()).contains(UPSTREAM + ":7: WARNING NO_RUNBOOK_URL KubeNodeNotReady: no runbook_url; opsdoc's note "
                        + "kubernetes/node-notready answers it: 'opsdoc rules annotate' would add <base-url>/en/kubernetes/node-notready")
                .contains(UPSTREAM + ":51: CRITICAL RUNBOOK_URL_BROKEN MySQLReplicationNotRunning:");
        assertThat(Cli.run(Map.of("OPSDOC_NOTES_URL", "https://runbooks.example/notes/"), "rules", "lint", UPSTREAM.toString()).out())
                .contains("would add https://runbooks.example/notes/en/kubernetes/node-notready");
    }

    @Test
    void userMappingsGiveOwnAlertsANoteAndNoCheckIsReportedForNotesWithoutOne() throws IOException {
        Cli c = Cli.run("rules", "lint", "--format", "json", "-c", MAPPINGS.toString(), "--base-url", BASE, UPSTREAM.toString());
        assertThat(codes(c)).doesNotContain("OrdersReplicaBehind NO_NOTE", "ProbesTimingOut NO_NOTE")
                .contains("OrdersReplicaBehind NO_RUNBOOK_URL", "ProbesTimingOut NO_CHECK");
        assertThat(finding(c, "OrdersReplicaBehind", "NO_RUNBOOK_URL").get("suggested_runbook_url").asText())
                .isEqualTo(BASE + "/en/mysql/replication#lag-critical");
        assertThat(finding(c, "ProbesTimingOut", "NO_CHECK").get("severity").asText()).isEqualTo("INFO");
        assertThat(finding(c, "ProbesTimingOut", "RUNBOOK_URL_BROKEN").get("suggested_runbook_url").asText())
                .isEqualTo(BASE + "/en/opsdoc/probe-errors");
        // NO_CHECK absent: every other alert's note has a check
        assertThat(codes(c)).filteredOn(s -> s.endsWith(" NO_CHECK")).containsExactly("ProbesTimingOut NO_CHECK");
    }

    @Test
    void exitCodes() throws IOException {
        // 0: INFO only (a foreign link is fine)
        Path clean = tmp.resolve("clean.yaml");
        Files.writeString(clean, "groups:\n- name: g\n  rules:\n  - alert: KubeletDown\n    expr: up == 0\n"
                + "    annotations:\n      runbook_url: https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubeletdown\n"
                + "  - alert: KubeNodeNotReady\n    expr: up == 0\n    annotations:\n      runbook_url: " + BASE + "/en/kubernetes/node-notready#node-not-ready\n");
        Cli ok = Cli.run("rules", "lint", clean.toString());
        assertThat(ok.exit()).as(ok.all()).isZero();
        assertThat(ok.out()).startsWith("RULES OK - 2 alerts in 1 file").contains("INFO RUNBOOK_URL_FOREIGN KubeletDown")
                .doesNotContain("KubeNodeNotReady");
        // 1: warnings, no broken link
        Path warn = tmp.resolve("warn.yaml");
        Files.writeString(warn, "groups:\n- name: g\n  rules:\n  - alert: RedisOutOfMemory\n    expr: up == 0\n");
        assertThat(Cli.run("rules", "lint", warn.toString(), clean.toString()).exit()).isEqualTo(1);
        // 2: a broken link anywhere
        assertThat(Cli.run("rules", "lint", warn.toString(), UPSTREAM.toString()).exit()).isEqualTo(2);
        // an empty group list is no finding at all
        Path empty = tmp.resolve("empty.yaml");
        Files.writeString(empty, "groups: []\n");
        assertThat(Cli.run("rules", "lint", empty.toString()).out()).startsWith("RULES OK - 0 alerts in 1 file (0 recording rules: PromQL only): no findings");
    }

    @Test
    void malformedFilesExit64WithFileAndLine() {
        assertThat(Cli.run("rules", "lint", DIR.resolve("malformed.yaml").toString())).satisfies(c -> {
            assertThat(c.exit()).isEqualTo(64);
            assertThat(c.err()).startsWith("opsdoc: " + DIR.resolve("malformed.yaml") + ":6:4: not valid YAML: expected <block end>, "
                    + "but found '<block mapping start>' (parsing a block mapping from line 2)");
            assertThat(c.clean()).as(c.all()).isTrue();
        });
        assertThat(Cli.run("rules", "lint", DIR.resolve("not-rules.yaml").toString())).satisfies(c -> {
            assertThat(c.exit()).isEqualTo(64);
            assertThat(c.err()).startsWith("opsdoc: " + DIR.resolve("not-rules.yaml") + ":2:1: expected 'groups:'");
            assertThat(c.clean()).isTrue();
        });
        assertThat(Cli.run("rules", "lint", DIR.resolve("no-alert-name.yaml").toString())).satisfies(c -> {
            assertThat(c.exit()).isEqualTo(64);
            assertThat(c.err()).startsWith("opsdoc: " + DIR.resolve("no-alert-name.yaml") + ":6:5: group 'g': a rule needs 'alert: NAME' or 'record: NAME'");
            assertThat(c.out()).isEmpty(); // nothing is printed before every file has been read
        });
        assertThat(Cli.run("rules", "lint", "/nonexistent/rules.yaml").err()).startsWith("opsdoc: rule file /nonexistent/rules.yaml cannot be read: no such file");
        assertThat(Cli.run("rules", "lint").exit()).isEqualTo(64);
        assertThat(Cli.run("rules").exit()).isEqualTo(64);
        assertThat(Cli.run("rules", "lint", "--help")).satisfies(c -> {
            assertThat(c.exit()).isZero();
            assertThat(c.out()).contains("Usage: opsdoc rules lint", "RUNBOOK_URL_BROKEN (CRITICAL)");
        });
        assertThat(Cli.run("rules", "annotate", "--help").out()).contains("--overwrite", "--in-place");
        assertThat(Cli.run("rules", "lint", "--format", "sarif", UPSTREAM.toString()).exit()).isEqualTo(64);
        assertThat(Cli.run("rules", "lint", "--lang", "fr", UPSTREAM.toString()).err()).contains("--lang fr: the notes exist in en, zh");
        assertThat(Cli.run("rules", "annotate", UPSTREAM.toString()).err()).contains("--base-url is required");
        assertThat(Cli.run("rules", "annotate", "--base-url", "opsdoc.example/notes", UPSTREAM.toString()).exit()).isEqualTo(64);
        assertThat(Cli.run("rules", "annotate", "--base-url", BASE, UPSTREAM.toString(), OPERATOR.toString()).err())
                .contains("several files need --in-place");
        assertThat(Cli.run("rules", "annotate", "--base-url", BASE, "-o", "x.yaml", "--in-place", UPSTREAM.toString()).exit()).isEqualTo(64);
    }

    @Test
    void annotatedFileIsAValidRuleFileWithEveryCommentAndOnlyRunbookUrlsAdded() throws IOException {
        ExternalTool promtool = ExternalTool.require("promtool");
        Path out = tmp.resolve("annotated.yaml");
        Cli a = Cli.run("rules", "annotate", "--base-url", BASE + "/", "--overwrite", "-c", MAPPINGS.toString(), "-o", out.toString(),
                UPSTREAM.toString());
        assertThat(a.exit()).as(a.all()).isZero();
        assertThat(a.err()).contains(UPSTREAM + ":7: KubeNodeNotReady: added runbook_url " + BASE + "/en/kubernetes/node-notready")
                .contains("MySQLReplicationNotRunning: replaced broken runbook_url https://opsdoc.example/notes/en/mysql/replication#sql-thread-dead with "
                        + BASE + "/en/mysql/replication")
                .contains("OrdersReplicaBehind: added runbook_url " + BASE + "/en/mysql/replication#lag-critical")
                .contains("CheckoutErrorsHigh: left as it is: opsdoc has no note for it")
                .contains("opsdoc: 5 runbook_urls added, 2 replaced, 1 left unchanged; wrote " + out);

        ExternalTool.Result check = promtool.run("check", "rules", out.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 12 rules found");

        // the original text survives: every line is still there, in order, except the two broken links replaced
        List<String> before = Files.readAllLines(UPSTREAM);
        List<String> after = Files.readAllLines(out);
        List<String> added = new ArrayList<>(after);
        for (String line : before) {
            if (line.contains("sql-thread-dead") || line.contains("no-such-note") || line.contains("annotations: {summary")) {
                continue;
            }
            int at = added.indexOf(line);
            assertThat(at).as("line kept: %s", line).isGreaterThanOrEqualTo(0);
            added.subList(0, at + 1).clear();
        }
        assertThat(after).contains("# a link that was right once: the anchor was renamed".indent(6).stripTrailing(),
                "      runbook_url: https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubeletdown",
                "      runbook_url: https://wiki.example.com/ops/payments-queue",
                "      annotations: {runbook_url: \"" + BASE + "/en/redis/replication\", summary: \"Redis replication broken (instance {{ $labels.instance }})\"}",
                "    annotations:", "      runbook_url: " + BASE + "/en/mysql/replication#lag-critical");
        assertThat(after.size()).isEqualTo(before.size() + 5);

        // lint of the annotated file: every alert opsdoc knows has a working link now
        Cli lint = Cli.run("rules", "lint", "--format", "json", "-c", MAPPINGS.toString(), out.toString());
        assertThat(codes(lint)).filteredOn(s -> s.endsWith(" NO_RUNBOOK_URL")).containsExactly("CheckoutErrorsHigh NO_RUNBOOK_URL");
        assertThat(codes(lint)).noneMatch(s -> s.endsWith(" RUNBOOK_URL_BROKEN"));
        assertThat(codes(lint)).filteredOn(s -> s.endsWith(" RUNBOOK_URL_FOREIGN"))
                .containsExactlyInAnyOrder("KubeletDown RUNBOOK_URL_FOREIGN", "PaymentsQueueBacklog RUNBOOK_URL_FOREIGN");
        assertThat(lint.exit()).isEqualTo(1); // CheckoutErrorsHigh still has no runbook

        // annotating again changes nothing
        Cli again = Cli.run("rules", "annotate", "--base-url", BASE, "--overwrite", "-c", MAPPINGS.toString(), out.toString());
        assertThat(again.out()).isEqualTo(Files.readString(out));
        assertThat(again.err()).contains("0 runbook_urls added, 0 replaced, 1 left unchanged");
    }

    @Test
    void brokenLinksStayWithoutOverwriteAndForeignOnesAlways() throws IOException {
        Cli a = Cli.run("rules", "annotate", "--base-url", BASE, UPSTREAM.toString());
        assertThat(a.exit()).isZero();
        assertThat(a.err()).contains("MySQLReplicationNotRunning: left as it is: runbook_url https://opsdoc.example/notes/en/mysql/replication#sql-thread-dead is broken; --overwrite replaces it");
        assertThat(a.out()).contains("runbook_url: \"https://opsdoc.example/notes/en/mysql/replication#sql-thread-dead\"",
                "runbook_url: https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubeletdown",
                "runbook_url: https://wiki.example.com/ops/payments-queue");
        JsonNode tree = YAML.readTree(a.out());
        assertThat(tree.at("/groups/0/rules/0/annotations/runbook_url").asText()).isEqualTo(BASE + "/en/kubernetes/node-notready");
        assertThat(tree.at("/groups/1/rules/1/annotations/runbook_url").asText()).endsWith("#sql-thread-dead");
        // zh links and a base URL that is not a /notes path
        Cli zh = Cli.run("rules", "annotate", "--base-url", "https://wiki.example/runbooks", "--lang", "zh", UPSTREAM.toString());
        assertThat(zh.err()).contains("warning: links under https://wiki.example/runbooks do not end in /notes/zh/<note>");
        assertThat(YAML.readTree(zh.out()).at("/groups/0/rules/0/annotations/runbook_url").asText())
                .isEqualTo("https://wiki.example/runbooks/zh/kubernetes/node-notready");
    }

    @Test
    void prometheusRuleObjectsAreAnnotatedInPlaceAndStayValid() throws IOException {
        ExternalTool promtool = ExternalTool.require("promtool");
        Path copy = tmp.resolve("kube-rules.yaml");
        Files.copy(OPERATOR, copy);
        Path crlf = tmp.resolve("crlf.yaml");
        Files.writeString(crlf, Files.readString(UPSTREAM).replace("\n", "\r\n"));
        Cli a = Cli.run("rules", "annotate", "--base-url", BASE, "--in-place", copy.toString(), crlf.toString());
        assertThat(a.exit()).as(a.all()).isZero();
        String text = Files.readString(copy);
        assertThat(text).startsWith("# kube-prometheus style").contains("kind: ConfigMap", "groups: \"not rules: this document is not a PrometheusRule\"");
        List<JsonNode> docs = YAML.readValues(YAML.createParser(text), JsonNode.class).readAll();
        JsonNode rule = docs.get(1);
        assertThat(rule.at("/spec/groups/0/rules/0/annotations/runbook_url").asText()).isEqualTo(BASE + "/en/kubernetes/workloads");
        assertThat(rule.at("/spec/groups/0/rules/1/annotations/runbook_url").asText()).startsWith("https://runbooks.prometheus-operator.dev/");
        assertThat(rule.at("/spec/groups/0/rules/2/annotations/runbook_url").asText()).isEqualTo(BASE + "/en/kubernetes/capacity");
        // what the Prometheus Operator hands Prometheus is spec: promtool checks that
        Path spec = tmp.resolve("spec.yaml");
        YAML.writeValue(spec.toFile(), rule.get("spec"));
        ExternalTool.Result check = promtool.run("check", "rules", spec.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 3 rules found");
        assertThat(Cli.run("rules", "lint", copy.toString()).exit()).isZero();
        // line endings survive
        String crlfText = Files.readString(crlf, StandardCharsets.UTF_8);
        assertThat(crlfText).contains("      runbook_url: " + BASE + "/en/kubernetes/node-notready\r\n").doesNotContain("\r\r").doesNotContainPattern("[^\r]\n");
        ExternalTool.Result crlfCheck = promtool.run("check", "rules", crlf.toString());
        assertThat(crlfCheck.exit()).as(crlfCheck.output()).isZero();
    }
}
