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
        return b.toString(StandardCharsets.UTF_8);
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
                .contains("opsdoc_finding{check=\"mysql-replication\",target=\"mysql://m@db1:3306\",code=\"LAG_WARNING\",severity=\"WARNING\",waived=\"false\"} 1")
                .contains("opsdoc_mysql_replication_lag_seconds{target=\"mysql://m@db1:3306\"} 45");
        assertThat(text.lines().filter(l -> l.equals("# TYPE opsdoc_check_status gauge"))).hasSize(1);
        assertThat(text.lines().filter(l -> !l.startsWith("#")))
                .allSatisfy(l -> assertThat(l).matches("[a-z_]+\\{.*\\} -?[0-9.E]+"));
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
