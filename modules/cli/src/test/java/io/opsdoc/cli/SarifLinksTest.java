package io.opsdoc.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Json;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.lab.Ports;
import io.opsdoc.server.OpsdocServer;
import io.opsdoc.server.alerts.AlertService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gate's SARIF as code scanning uses it: every rule's helpUri opens the note page that `opsdoc serve` serves (200,
 * and the page has the section's anchor), results point at the target's line in the config, and GitHub's own
 * ingestion rules (SARIF multitool, --rule-kind Gh) find nothing to reject.
 */
@Tag("lab")
class SarifLinksTest {
    private static OpsdocServer server;
    private static int port;

    @TempDir
    Path tmp;

    @BeforeAll
    static void serveNotes() throws Exception {
        port = Ports.freePort();
        var alerts = new AlertService.Settings(Duration.ofSeconds(1), Duration.ofMinutes(1), 1, 10, null, "en");
        var settings = new OpsdocServer.Settings("127.0.0.1", port, Optional.empty(), 8, 1 << 20, 0, Optional.empty(), alerts);
        server = new OpsdocServer(settings, null, CheckRegistry.load(), NoteCatalog.load(), Map.of());
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private JsonNode gateSarif(String notesUrl, Path config) throws Exception {
        Cli c = Cli.run("gate", "-c", config.toString(), "--format", "sarif", "--notes-url", notesUrl);
        assertThat(c.exit()).as(c.err()).isIn(1, 2, 3);
        return Json.mapper().readTree(c.out());
    }

    private Path config() throws Exception {
        // two real problems: a path the server answers 404 (http-status) and a refused port (mysql-replication)
        return Files.writeString(tmp.resolve("opsdoc.yaml"), String.join("\n",
                "version: 1",
                "targets:",
                "  web:",
                "    uri: http://127.0.0.1:" + port + "/no-such-page",
                "    checks: [http-status]",
                "  db:",
                "    uri: mysql://monitor@127.0.0.1:" + Ports.closedPort(),
                "    checks: [mysql-replication]",
                ""));
    }

    @Test
    void everyHelpUriOpensTheServedSection() throws Exception {
        Path config = config();
        HttpClient http = HttpClient.newHttpClient();
        for (String base : List.of("http://127.0.0.1:" + port + "/notes", "http://127.0.0.1:" + port + "/notes/")) {
            JsonNode rules = gateSarif(base, config).at("/runs/0/tool/driver/rules");
            assertThat(rules.size()).isGreaterThanOrEqualTo(2);
            for (JsonNode rule : rules) {
                String uri = rule.path("helpUri").asText();
                String note = rule.at("/properties/note").asText();
                assertThat(uri).isEqualTo("http://127.0.0.1:" + port + "/notes/en/" + note);
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).as(uri).isEqualTo(200);
                String anchor = uri.substring(uri.indexOf('#') + 1);
                assertThat(page.body()).as(uri).contains("id=\"" + anchor + "\"");
                assertThat(rule.at("/fullDescription/text").asText()).isNotBlank();
                assertThat(rule.at("/help/text").asText()).contains("Full runbook: opsdoc explain ");
            }
        }
    }

    @Test
    void resultsPointAtTheTargetsLineInTheConfig() throws Exception {
        Path config = config();
        JsonNode results = gateSarif("http://127.0.0.1:" + port + "/notes", config).at("/runs/0/results");
        List<Integer> lines = new ArrayList<>();
        for (JsonNode r : results) {
            JsonNode loc = r.at("/locations/0/physicalLocation");
            assertThat(loc.at("/artifactLocation/uri").asText()).isEqualTo(config.toString());
            lines.add(loc.at("/region/startLine").asInt());
        }
        assertThat(lines).contains(3, 6);  // "  web:" and "  db:"
    }

    @Test
    void gitHubIngestionRulesPass() throws Exception {
        ExternalTool multitool = ExternalTool.require("sarif-multitool");
        Path config = config();
        Path sarif = tmp.resolve("gate.sarif");
        Files.writeString(sarif, Json.mapper().writeValueAsString(gateSarif("http://127.0.0.1:" + port + "/notes", config)));
        // a check on the command line, whose results have no config file to point into
        Path check = tmp.resolve("check.sarif");
        Files.writeString(check, Cli.run("check", "mysql-replication", "mysql://monitor@127.0.0.1:" + Ports.closedPort(),
                "--format", "sarif").out());
        for (Path log : List.of(sarif, check)) {
            Path out = tmp.resolve(log.getFileName() + ".validation.sarif");
            ExternalTool.Result r = multitool.run("validate", "--rule-kind", "Gh", "--output", out.toString(), log.toString());
            // the tool exits 0 even when rules fail: its own SARIF output is what says so
            assertThat(r.exit()).as(r.output()).isZero();
            JsonNode findings = Json.mapper().readTree(out.toFile()).at("/runs/0/results");
            List<String> problems = new ArrayList<>();
            findings.forEach(f -> {
                if (!"note".equals(f.path("level").asText()) && !"none".equals(f.path("level").asText())) {
                    problems.add(f.path("ruleId").asText() + ": " + f.at("/message/text").asText() + " " + f.at("/message/arguments"));
                }
            });
            assertThat(problems).as(log.getFileName() + ": " + r.output()).isEmpty();
        }
    }
}
