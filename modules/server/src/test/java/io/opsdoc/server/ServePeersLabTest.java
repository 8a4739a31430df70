package io.opsdoc.server;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Json;
import io.opsdoc.core.Secret;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.mysql.MariaDbReplicationLab;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.alerting.CapturingReceiver;
import io.opsdoc.lab.alerting.PeerProcess;
import io.opsdoc.server.alerts.AlertService;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * opsdoc serve between the real peers it is built for: Debian's Prometheus scrapes /probe with the multi-target
 * relabelling pattern and stores the series; Debian's Alertmanager delivers an alert to /alerts (with its bearer
 * token from a credentials file) and the verdict is forwarded to a local receiver.
 */
@Tag("lab")
class ServePeersLabTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOKEN = "peer-t0ken";
    private static MariaDbReplicationLab lab;
    private static OpsdocServer server;
    private static CapturingReceiver receiver;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        lab = MariaDbReplicationLab.shared();
        receiver = CapturingReceiver.start();
        Path cfg = dir.resolve("opsdoc.yaml");
        Files.writeString(cfg, """
                defaults: {timeout: 5s}
                targets:
                  replica:
                    uri: "%s"
                    password: {env: MONITOR_PW}
                    alert-instances: ["db1:9104"]
                    checks: [mysql-replication]
                forward:
                  - {name: archive, type: webhook, url: {env: HOOK_URL}}
                """.formatted(lab.replicaUri()));
        CheckRegistry registry = CheckRegistry.load();
        OpsdocConfig config = ConfigLoader.load(cfg, registry);
        server = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.of(Secret.of(TOKEN, "test")), 16,
                OpsdocServer.DEFAULT_MAX_BODY, 0, Optional.empty(), AlertService.Settings.defaults()), config, registry, NoteCatalog.load(),
                Map.of("MONITOR_PW", lab.monitorPassword(), "HOOK_URL", receiver.url("/hook")));
        server.start();
        Files.writeString(dir.resolve("token"), TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        lab.heal();
    }

    @Test
    void prometheusScrapesProbeAndStoresTheSeries() throws Exception {
        Optional<Path> bin = ExternalBinary.find("/usr/bin/prometheus");
        assumeTrue(bin.isPresent(), () -> ExternalBinary.missing("prometheus", "prometheus"));
        Path home = Files.createDirectories(dir.resolve("prometheus"));
        Files.writeString(home.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: opsdoc-mysql-replication
                    metrics_path: /probe
                    params: {check: [mysql-replication]}
                    authorization: {credentials_file: %s}
                    static_configs: [{targets: [replica]}]
                    relabel_configs:
                      - {source_labels: [__address__], target_label: __param_target}
                      - {source_labels: [__param_target], target_label: instance}
                      - {target_label: __address__, replacement: "127.0.0.1:%d"}
                """.formatted(dir.resolve("token"), server.address().getPort()));
        lab.stopSqlThread();
        try (PeerProcess prometheus = PeerProcess.start("prometheus", bin.get(), home, Ports.freePort(), List.of(
                "--config.file={dir}/prometheus.yml", "--storage.tsdb.path={dir}/data", "--web.listen-address=127.0.0.1:{port}"),
                Duration.ofSeconds(30))) {
            JsonNode status = awaitSeries(prometheus, "opsdoc_check_status{job=\"opsdoc-mysql-replication\"}", Duration.ofSeconds(30));
            assertThat(status.path("metric").path("instance").asText()).isEqualTo("replica");
            assertThat(status.path("metric").path("check").asText()).isEqualTo("mysql-replication");
            assertThat(status.path("value").get(1).asText()).isEqualTo("2");
            JsonNode finding = awaitSeries(prometheus, "opsdoc_finding{code=\"SQL_THREAD_STOPPED\"}", Duration.ofSeconds(10));
            assertThat(finding.path("metric").path("severity").asText()).isEqualTo("CRITICAL");
            JsonNode up = awaitSeries(prometheus, "up{job=\"opsdoc-mysql-replication\"}", Duration.ofSeconds(5));
            assertThat(up.path("value").get(1).asText()).as("the scrape itself succeeded (token accepted)").isEqualTo("1");
        } finally {
            lab.heal();
        }
    }

    @Test
    void alertmanagerDeliversAnAlertAndTheVerdictIsForwarded() throws Exception {
        Optional<Path> bin = ExternalBinary.find("/usr/bin/prometheus-alertmanager", "/usr/bin/alertmanager");
        assumeTrue(bin.isPresent(), () -> ExternalBinary.missing("prometheus-alertmanager", "prometheus-alertmanager"));
        Path home = Files.createDirectories(dir.resolve("alertmanager"));
        Files.writeString(home.resolve("alertmanager.yml"), """
                route:
                  receiver: opsdoc
                  group_by: [alertname, instance]
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: opsdoc
                    webhook_configs:
                      - url: http://127.0.0.1:%d/alerts
                        send_resolved: true
                        max_alerts: 50
                        http_config:
                          authorization: {credentials_file: %s}
                """.formatted(server.address().getPort(), dir.resolve("token")));
        lab.stopSqlThread();
        try (PeerProcess am = PeerProcess.start("alertmanager", bin.get(), home, Ports.freePort(), List.of(
                "--config.file={dir}/alertmanager.yml", "--storage.path={dir}/data", "--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address="), Duration.ofSeconds(30))) {
            String alert = """
                    [{"labels":{"alertname":"MysqlSlaveSqlThreadNotRunning","instance":"db1:9104","severity":"critical"},
                      "annotations":{"summary":"replica SQL thread stopped"}}]""";
            HttpResponse<String> fired = HTTP.send(HttpRequest.newBuilder(URI.create(am.url("/api/v2/alerts")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alert)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(fired.statusCode()).as(fired.body()).isEqualTo(200);
            CapturingReceiver.Delivery d = receiver.await(x -> x.path().equals("/hook") && x.body().contains("MysqlSlaveSqlThreadNotRunning"),
                    Duration.ofSeconds(30));
            JsonNode v = Json.mapper().readTree(d.body()).path("verdict");
            assertThat(v.path("verdict").asText()).as(am.log()).isEqualTo("confirmed");
            assertThat(v.path("findings").findValuesAsText("code")).contains("SQL_THREAD_STOPPED");
            assertThat(v.path("fingerprint").asText()).as("Alertmanager's own fingerprint is the dedup key").hasSize(16);
            assertThat(d.body()).doesNotContain(lab.monitorPassword()).doesNotContain(TOKEN);
        } finally {
            lab.heal();
        }
    }

    @Test
    void theWholeLoopScrapeRuleAlertVerdict() throws Exception {
        Optional<Path> prom = ExternalBinary.find("/usr/bin/prometheus");
        Optional<Path> amBin = ExternalBinary.find("/usr/bin/prometheus-alertmanager", "/usr/bin/alertmanager");
        assumeTrue(prom.isPresent(), () -> ExternalBinary.missing("prometheus", "prometheus"));
        assumeTrue(amBin.isPresent(), () -> ExternalBinary.missing("prometheus-alertmanager", "prometheus-alertmanager"));
        Path amHome = Files.createDirectories(dir.resolve("loop-alertmanager"));
        Files.writeString(amHome.resolve("alertmanager.yml"), """
                route: {receiver: opsdoc, group_by: [alertname], group_wait: 0s, group_interval: 1s, repeat_interval: 1h}
                receivers:
                  - name: opsdoc
                    webhook_configs:
                      - url: http://127.0.0.1:%d/alerts
                        http_config: {authorization: {credentials_file: %s}}
                """.formatted(server.address().getPort(), dir.resolve("token")));
        lab.stopSqlThread();
        receiver.clear();
        try (PeerProcess am = PeerProcess.start("alertmanager", amBin.get(), amHome, Ports.freePort(), List.of(
                "--config.file={dir}/alertmanager.yml", "--storage.path={dir}/data", "--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address="), Duration.ofSeconds(30))) {
            Path promHome = Files.createDirectories(dir.resolve("loop-prometheus"));
            // The rule is the one deploy/prometheus/rules ships in spirit: an opsdoc finding, linked to its note section.
            Files.writeString(promHome.resolve("rules.yml"), """
                    groups:
                      - name: opsdoc
                        rules:
                          - alert: OpsdocReplicaSqlThreadStopped
                            expr: opsdoc_finding{code="SQL_THREAD_STOPPED"} > 0
                            labels: {severity: critical}
                            annotations:
                              runbook_url: https://opsdoc.example/notes/en/mysql/replication#sql-thread-stopped
                    """);
            Files.writeString(promHome.resolve("prometheus.yml"), """
                    global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
                    rule_files: [%s]
                    alerting: {alertmanagers: [{static_configs: [{targets: ["127.0.0.1:%s"]}]}]}
                    scrape_configs:
                      - job_name: opsdoc-mysql-replication
                        metrics_path: /probe
                        params: {check: [mysql-replication]}
                        authorization: {credentials_file: %s}
                        static_configs: [{targets: [replica]}]
                        relabel_configs:
                          - {source_labels: [__address__], target_label: __param_target}
                          - {source_labels: [__param_target], target_label: instance}
                          - {target_label: __address__, replacement: "127.0.0.1:%d"}
                    """.formatted(promHome.resolve("rules.yml"), URI.create(am.url("/")).getPort(), dir.resolve("token"),
                    server.address().getPort()));
            try (PeerProcess prometheus = PeerProcess.start("prometheus", prom.get(), promHome, Ports.freePort(), List.of(
                    "--config.file={dir}/prometheus.yml", "--storage.tsdb.path={dir}/data", "--web.listen-address=127.0.0.1:{port}"),
                    Duration.ofSeconds(30))) {
                CapturingReceiver.Delivery d = receiver.await(x -> x.path().equals("/hook") && x.body().contains("OpsdocReplicaSqlThreadStopped"),
                        Duration.ofSeconds(60));
                JsonNode v = Json.mapper().readTree(d.body()).path("verdict");
                assertThat(v.path("verdict").asText()).as(prometheus.log()).isEqualTo("confirmed");
                assertThat(v.path("noteSource").asText()).isEqualTo("runbook-url");
                assertThat(v.path("note").path("section").asText()).isEqualTo("sql-thread-stopped");
                assertThat(v.path("target").asText()).as("instance=replica names the config target").contains("127.0.0.1");
            }
        } finally {
            lab.heal();
        }
    }

    private static JsonNode awaitSeries(PeerProcess prometheus, String query, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url("/api/v1/query?query="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
            last = r.body();
            JsonNode result = Json.mapper().readTree(last).path("data").path("result");
            if (result.size() > 0) {
                return result.get(0);
            }
            Thread.sleep(250);
        }
        HttpResponse<String> targets = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url("/api/v1/targets"))).build(),
                HttpResponse.BodyHandlers.ofString());
        throw new AssertionError("no series for " + query + " within " + timeout + "; last answer " + last + "; targets " + targets.body());
    }
}
