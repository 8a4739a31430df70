package io.opsdoc.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.report.JsonReportWriter;
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
        w.write(reports, new PrintStream(b, true, StandardCharsets.UTF_8));
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

    @Test
    void worstOfRanksUnknownAboveWarningAndBelowCritical() {
        assertThat(Severity.WARNING.worst(Severity.UNKNOWN)).isEqualTo(Severity.UNKNOWN);
        assertThat(Severity.UNKNOWN.worst(Severity.CRITICAL)).isEqualTo(Severity.CRITICAL);
        assertThat(Severity.INFO.exitCode()).isZero();
        assertThat(Severity.UNKNOWN.exitCode()).isEqualTo(3);
    }
}
