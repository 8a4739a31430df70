package io.opsdoc.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.gate.Outcome;
import io.opsdoc.core.report.JUnitReportWriter;
import io.opsdoc.core.report.JsonReportWriter;
import io.opsdoc.core.report.MarkdownReportWriter;
import io.opsdoc.core.report.PrometheusReportWriter;
import io.opsdoc.core.report.NagiosReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportWritersTest {
    private static Report report() {
        Finding f = Finding.of("mysql-replication", "mysql://m@db1:3306", "LAG_WARNING", Severity.WARNING,
                "the replica is 45s behind | really", Map.of("Seconds_Behind_Master", 45), "mysql/replication#lag-warning", null);
        Finding i = Finding.of("mysql-replication", "mysql://m@db1:3306", "NO_GTID", Severity.INFO, "no gtid",
                Map.of(), "mysql/replication#no-gtid", null);
        Metric lag = new Metric("lag_seconds", 45, "s", Map.of(), 30.0, 300.0);
        return new Report("mysql-replication", "mysql://m@db1:3306", Severity.WARNING, List.of(i, f), List.of(lag), 0.12,
                Instant.parse("2026-11-21T00:00:00Z"));
    }

    private static String render(io.opsdoc.core.report.ReportWriter w, List<Report> reports) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        w.write(Outcome.of(reports), new PrintStream(b, true, StandardCharsets.UTF_8));
        String text = b.toString(StandardCharsets.UTF_8);
        return w instanceof JsonReportWriter ? io.opsdoc.core.report.ReportSchema.assertValid(text) : text;
    }

    @Test
    void nagiosFirstLineHasStatusTextAndPerfdata() {
        String out = render(new NagiosReportWriter(), List.of(report()));
        String first = out.lines().findFirst().orElseThrow();
        assertThat(first).isEqualTo("MYSQL-REPLICATION WARNING - LAG_WARNING: the replica is 45s behind / really"
                + " | lag_seconds=45s;30;300");
        assertThat(out.lines().skip(1)).first().asString().startsWith("WARNING LAG_WARNING:");
    }

    @Test
    void nagiosPerfdataLabelsAreUniqueAcrossTargets() {
        Metric lag2 = new Metric("lag_seconds", 7, "s", Map.of(), 30.0, 300.0);
        Report other = new Report("mysql-replication", "mysql://m@db2:3306", Severity.OK, List.of(), List.of(lag2), 0.1,
                Instant.parse("2026-11-21T00:00:00Z"));
        String first = render(new NagiosReportWriter(), List.of(report(), other)).lines().findFirst().orElseThrow();
        assertThat(first).endsWith(" | 'mysql://m@db1:3306/lag_seconds'=45s;30;300 'mysql://m@db2:3306/lag_seconds'=7s;30;300");
        // the same target twice (two entries of a gate pointing at one server) still gives distinct labels
        String twice = render(new NagiosReportWriter(), List.of(report(), report(), other)).lines().findFirst().orElseThrow();
        assertThat(twice).contains("'mysql://m@db1:3306/lag_seconds'=45s").contains("'mysql://m@db1:3306/lag_seconds_2'=45s");
    }

    @Test
    void reportSchemaRejectsWhatV1Forbids() {
        String good = render(new JsonReportWriter(), List.of(report(), unknown(), ok()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.opsdoc.core.report.ReportSchema.assertValid(
                good.replaceFirst("\"severity\"\\s*:\\s*\"WARNING\"", "\"severity\": \"SEVERE\""))).isInstanceOf(AssertionError.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.opsdoc.core.report.ReportSchema.assertValid(
                good.replace("opsdoc.report/v1", "opsdoc.report/v2"))).isInstanceOf(AssertionError.class);
    }

    @Test
    void prometheusNamesUseBaseUnitsAndSayTheCheckOnce() {
        Instant at = Instant.parse("2026-11-21T00:00:00Z");
        Report http = new Report("http-status", "https://shop.example/", Severity.OK, List.of(), List.of(
                new Metric("http_status_code", 200, "", Map.of(), null, null),
                new Metric("http_duration_seconds", 0.25, "s", Map.of(), null, null),
                new Metric("http_content_length", 512, "B", Map.of(), null, null),
                new Metric("tls_cert_expiry_days", 10, "d", Map.of(), null, null)), 0.3, at);
        Report k8s = new Report("k8s-capacity", "k8s://", Severity.OK, List.of(), List.of(
                new Metric("cpu_requested_percent", 80, "%", Map.of(), null, null)), 0.1, at);
        String text = render(new PrometheusReportWriter(), List.of(http, k8s));
        assertThat(text).contains("opsdoc_http_status_code{check=\"http-status\",target=\"https://shop.example/\"} 200\n")
                .contains("opsdoc_http_status_duration_seconds{check=\"http-status\",target=\"https://shop.example/\"} 0.25\n")
                .contains("opsdoc_http_status_content_length_bytes{check=\"http-status\",target=\"https://shop.example/\"} 512\n")
                .contains("opsdoc_http_status_tls_cert_expiry_timestamp_seconds{check=\"http-status\",target=\"https://shop.example/\"} "
                        + (at.getEpochSecond() + 10 * 86_400) + "\n")
                .contains("opsdoc_k8s_capacity_cpu_requested_ratio{check=\"k8s-capacity\",target=\"k8s://\"} 0.8\n")
                .doesNotContain("http_status_http");
    }

    @Test
    void jsonIsVersionedAndCarriesExitCode() throws Exception {
        JsonNode doc = Json.mapper().readTree(render(new JsonReportWriter(), List.of(report())));
        assertThat(doc.get("schema").asText()).isEqualTo("opsdoc.report/v1");
        assertThat(doc.get("status").asText()).isEqualTo("WARNING");
        assertThat(doc.get("exitCode").asInt()).isEqualTo(1);
        JsonNode findings = doc.get("reports").get(0).get("findings");
        assertThat(findings.get(0).get("code").asText()).isEqualTo("LAG_WARNING");
        assertThat(findings.get(0).get("fingerprint").asText()).hasSize(16);
    }

    private static Report unknown() {
        Finding f = Finding.of("mysql-replication", "mysql://m@db9:3306", "TIMEOUT", Severity.UNKNOWN,
                "no result within 3s <&> \"quoted\"", Map.of(), "opsdoc/probe-errors#timeout", null);
        return new Report("mysql-replication", "mysql://m@db9:3306", Severity.UNKNOWN, List.of(f), List.of(), 3.1,
                Instant.parse("2026-11-21T00:00:00Z"));
    }

    private static Report ok() {
        return new Report("mysql-replication", "mysql://m@db3:3306", Severity.OK, List.of(), List.of(), 0.05,
                Instant.parse("2026-11-21T00:00:00Z"));
    }

    @Test
    void junitHasOneTestcasePerCheckAndTargetWithFailuresAndErrors() throws Exception {
        String xml = render(new JUnitReportWriter(), List.of(report(), unknown(), ok()));
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        var suites = doc.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        assertThat(suites.getAttribute("tests")).isEqualTo("3");
        assertThat(suites.getAttribute("failures")).isEqualTo("1");
        assertThat(suites.getAttribute("errors")).isEqualTo("1");
        var cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(3);
        var first = (org.w3c.dom.Element) cases.item(0);
        assertThat(first.getAttribute("classname")).isEqualTo("mysql://m@db1:3306");
        assertThat(first.getAttribute("name")).isEqualTo("mysql-replication");
        var failure = (org.w3c.dom.Element) first.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("WARNING");
        assertThat(failure.getTextContent()).contains("evidence: Seconds_Behind_Master=45")
                .contains("runbook: mysql/replication#lag-warning (opsdoc explain mysql-replication#LAG_WARNING)");
        assertThat(first.getElementsByTagName("system-out").item(0).getTextContent()).contains("INFO NO_GTID");
        var error = (org.w3c.dom.Element) ((org.w3c.dom.Element) cases.item(1)).getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("message")).isEqualTo("TIMEOUT: no result within 3s <&> \"quoted\"");
        assertThat(((org.w3c.dom.Element) cases.item(2)).getChildNodes().getLength()).isLessThanOrEqualTo(1);

        var schema = javax.xml.validation.SchemaFactory.newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(java.nio.file.Path.of("../../docs/junit-report.xsd").toFile());
        schema.newValidator().validate(new javax.xml.transform.stream.StreamSource(new java.io.StringReader(xml)));
        assertThat(suites.hasAttribute("skipped")).as("Jenkins xunit's junit-10.xsd rejects skipped on <testsuites>").isFalse();
        String skippedOnSuites = xml.replaceFirst("<testsuites name=\"opsdoc\"", "<testsuites name=\"opsdoc\" skipped=\"0\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> schema.newValidator()
                .validate(new javax.xml.transform.stream.StreamSource(new java.io.StringReader(skippedOnSuites))))
                .as("the schema is as strict as junit-10.xsd on <testsuites>").isInstanceOf(org.xml.sax.SAXException.class);
        String broken = xml.replace(" time=\"0.050\"", "");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> schema.newValidator()
                .validate(new javax.xml.transform.stream.StreamSource(new java.io.StringReader(broken))))
                .as("the schema rejects a testcase without time").isInstanceOf(org.xml.sax.SAXException.class);
    }

    @Test
    void prometheusGroupsEachFamilyOnceWithEscapedLabels() {
        String text = render(new PrometheusReportWriter(), List.of(report(), unknown()));
        assertThat(text).contains("# TYPE opsdoc_check_status gauge\n")
                .contains("opsdoc_check_status{check=\"mysql-replication\",target=\"mysql://m@db1:3306\"} 1\n")
                .contains("opsdoc_check_status{check=\"mysql-replication\",target=\"mysql://m@db9:3306\"} 3\n")
                .contains("opsdoc_finding{check=\"mysql-replication\",target=\"mysql://m@db1:3306\",code=\"LAG_WARNING\",severity=\"WARNING\"} 1")
                .contains("opsdoc_probe_success{check=\"mysql-replication\",target=\"mysql://m@db1:3306\"} 1\n")
                .contains("opsdoc_probe_success{check=\"mysql-replication\",target=\"mysql://m@db9:3306\"} 0\n")
                .doesNotContain("waived=").doesNotContain("=\"\"")
                .contains("opsdoc_mysql_replication_lag_seconds{check=\"mysql-replication\",target=\"mysql://m@db1:3306\"} 45");
        assertThat(text.lines().filter(l -> l.equals("# TYPE opsdoc_check_status gauge"))).hasSize(1);
        assertThat(text.lines().filter(l -> !l.startsWith("#")))
                .allSatisfy(l -> assertThat(l).matches("[a-z_]+\\{.*\\} -?[0-9.E]+"));
    }

    @Test
    void probeAndFileExposeTheSameSeriesButTheTarget() {
        String probe = io.opsdoc.core.report.PrometheusExposition.probe(report(), null);
        String file = render(new PrometheusReportWriter(), List.of(report()));
        assertThat(probe.replace(",target=\"mysql://m@db1:3306\"", "")).isEqualTo(file.replace(",target=\"mysql://m@db1:3306\"", ""));
        assertThat(probe).doesNotContain("target=").contains("opsdoc_probe_success{check=\"mysql-replication\"} 1\n");
        String rejected = io.opsdoc.core.report.PrometheusExposition.probe(unknown(), "queue_full");
        assertThat(rejected).contains("opsdoc_probe_success{check=\"mysql-replication\"} 0\n")
                .contains("opsdoc_probe_rejected{check=\"mysql-replication\",reason=\"queue_full\"} 1\n");
    }

    @Test
    void markdownTablesTheProblemsWorstFirst() {
        String md = render(new MarkdownReportWriter(), List.of(report(), unknown(), ok()));
        assertThat(md).startsWith("### opsdoc: UNKNOWN");
        List<String> rows = md.lines().filter(l -> l.startsWith("| **")).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).contains("UNKNOWN").contains("`TIMEOUT`");
        assertThat(rows.get(1)).contains("`LAG_WARNING`").contains("45s behind \\| really");
        assertThat(md).contains("<summary>Passing (1)</summary>");
    }

    @Test
    void worstOfRanksUnknownAboveWarningAndBelowCritical() {
        assertThat(Severity.WARNING.worst(Severity.UNKNOWN)).isEqualTo(Severity.UNKNOWN);
        assertThat(Severity.UNKNOWN.worst(Severity.CRITICAL)).isEqualTo(Severity.CRITICAL);
        assertThat(Severity.INFO.exitCode()).isZero();
        assertThat(Severity.UNKNOWN.exitCode()).isEqualTo(3);
    }
}
