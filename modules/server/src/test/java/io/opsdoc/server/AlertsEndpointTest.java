package io.opsdoc.server;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Json;
import io.opsdoc.core.Secret;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.lab.mysql.MariaDbReplicationLab;
import io.opsdoc.lab.SilentTcpServer;
import io.opsdoc.lab.alerting.CapturingReceiver;
import io.opsdoc.server.alerts.AlertService;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /alerts against the real MariaDB lab: a stopped SQL thread confirms MysqlSlaveSqlThreadNotRunning, a healthy
 * replica does not, a healed one recovers; verdicts reach every receiver format, signed where the robot wants it.
 */
@Tag("lab")
class AlertsEndpointTest {
    private static final String DING_SECRET = "SECdingsecret0123";
    private static final String FEISHU_SECRET = "feishu-secret-4567";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static MariaDbReplicationLab lab;
    private static CapturingReceiver receiver;
    private static SilentTcpServer blackHole;
    private static OpsdocServer server;
    private static OpsdocServer guarded;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        lab = MariaDbReplicationLab.shared();
        receiver = CapturingReceiver.start();
        blackHole = SilentTcpServer.start();
        Path cfg = dir.resolve("opsdoc.yaml");
        Files.writeString(cfg, """
                defaults: {timeout: 5s}
                targets:
                  replica:
                    uri: "%s"
                    password: {env: MONITOR_PW}
                    alert-instances: ["db1:9104"]
                    checks: [mysql-replication]
                  stuck:
                    uri: "mysql://monitor@127.0.0.1:%d"
                    timeout: 2s
                    checks: [mysql-replication]
                alerts:
                  StuckReplicaAlert: {check: mysql-replication, target: stuck}
                forward:
                  - {name: archive, type: webhook, url: {env: HOOK_URL}}
                  - {name: ding, type: dingtalk, url: {env: DING_URL}, secret: {env: DING_SECRET}}
                  - {name: wecom, type: wecom, url: {env: WECOM_URL}}
                  - {name: feishu, type: feishu, url: {env: FEISHU_URL}, secret: {env: FEISHU_SECRET}}
                  - {name: slack, type: slack, url: {env: SLACK_URL}}
                """.formatted(lab.replicaUri(), blackHole.port()));
        Map<String, String> env = Map.of("MONITOR_PW", lab.monitorPassword(), "HOOK_URL", receiver.url("/hook"),
                "DING_URL", receiver.url("/robot/send?access_token=dingtoken"), "DING_SECRET", DING_SECRET,
                "WECOM_URL", receiver.url("/cgi-bin/webhook/send?key=wecomkey"), "FEISHU_URL", receiver.url("/open-apis/bot/v2/hook/feishuhook"),
                "FEISHU_SECRET", FEISHU_SECRET, "SLACK_URL", receiver.url("/services/T0/B0/slacksecret"));
        CheckRegistry registry = CheckRegistry.load();
        OpsdocConfig config = ConfigLoader.load(cfg, registry);
        AlertService.Settings alerts = new AlertService.Settings(Duration.ofSeconds(8), Duration.ofMinutes(5), 2, 100,
                "https://opsdoc.example", "en");
        server = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 16, 64 * 1024, 0, Optional.empty(), alerts),
                config, registry, NoteCatalog.load(), env);
        server.start();
        guarded = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.of(Secret.of("al3rt-token", "test")), 8,
                64 * 1024, 2, Optional.empty(), alerts), config, registry, NoteCatalog.load(), env);
        guarded.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        guarded.close();
        receiver.close();
        blackHole.close();
        lab.heal();
    }

    @BeforeEach
    void reset() {
        lab.heal();
        receiver.clear();
    }

    static String payload(String status, String alertname, Map<String, String> extraLabels) {
        StringBuilder labels = new StringBuilder("\"alertname\":\"" + alertname + "\"");
        extraLabels.forEach((k, v) -> labels.append(",\"").append(k).append("\":\"").append(v).append('"'));
        return """
                {"version":"4","groupKey":"{}:{alertname=\\"%s\\"}","status":"%s","receiver":"opsdoc","truncatedAlerts":0,
                 "groupLabels":{"alertname":"%s"},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am:9093",
                 "alerts":[{"status":"%s","labels":{%s},"annotations":{"summary":"replica problem"},
                   "startsAt":"2026-11-21T08:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom/graph",
                   "fingerprint":"%s"}]}
                """.formatted(alertname, status, alertname, status, labels, UUID.randomUUID().toString().substring(0, 16));
    }

    static HttpResponse<String> post(OpsdocServer s, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort() + "/alerts"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode firstResult(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = Json.mapper().readTree(r.body());
        assertThat(json.path("version").asText()).isEqualTo("opsdoc.alerts/v1");
        return json.path("results").get(0);
    }

    @Test
    void aStoppedSqlThreadConfirmsTheAlertWithEvidenceAndTheNoteSection() throws Exception {
        lab.stopSqlThread();
        JsonNode v = firstResult(post(server, payload("firing", "MysqlSlaveSqlThreadNotRunning", Map.of("instance", "db1:9104"))));
        assertThat(v.path("verdict").asText()).isEqualTo("confirmed");
        assertThat(v.path("target").asText()).contains("127.0.0.1");
        assertThat(v.path("check").asText()).isEqualTo("mysql-replication");
        assertThat(v.path("noteSource").asText()).isEqualTo("built-in");
        assertThat(v.path("findings").findValuesAsText("code")).contains("SQL_THREAD_STOPPED");
        assertThat(v.path("note").path("section").asText()).isEqualTo("sql-thread-stopped");
        assertThat(v.path("note").path("excerpt").asText()).isNotBlank();
        assertThat(v.path("note").path("url").asText()).isEqualTo("https://opsdoc.example/notes/en/mysql/replication#sql-thread-stopped");

        CapturingReceiver.Delivery hook = receiver.await(d -> d.path().equals("/hook"), Duration.ofSeconds(10));
        JsonNode forwarded = Json.mapper().readTree(hook.body());
        assertThat(forwarded.path("version").asText()).isEqualTo("opsdoc.alert/v1");
        assertThat(forwarded.path("verdict").path("verdict").asText()).isEqualTo("confirmed");
        receiver.await(d -> d.path().startsWith("/services/") && d.body().contains("CONFIRMED"), Duration.ofSeconds(10));
        receiver.await(d -> d.path().startsWith("/cgi-bin/") && d.body().contains("\"msgtype\":\"markdown\""), Duration.ofSeconds(10));
        for (CapturingReceiver.Delivery d : receiver.deliveries()) {
            assertThat(d.body()).doesNotContain(lab.monitorPassword()).doesNotContain(DING_SECRET).doesNotContain(FEISHU_SECRET);
        }
    }

    @Test
    void robotsThatSignGetAValidSignature() throws Exception {
        lab.stopSqlThread();
        post(server, payload("firing", "MySQLReplicationNotRunning", Map.of("instance", "db1:9104")));
        CapturingReceiver.Delivery ding = receiver.await(d -> d.path().equals("/robot/send"), Duration.ofSeconds(10));
        Map<String, String> q = query(ding.query());
        assertThat(q).containsEntry("access_token", "dingtoken");
        assertThat(q.get("sign")).isEqualTo(hmac(DING_SECRET, q.get("timestamp") + "\n" + DING_SECRET));
        assertThat(Json.mapper().readTree(ding.body()).path("markdown").path("text").asText()).contains("SQL_THREAD_STOPPED");

        CapturingReceiver.Delivery feishu = receiver.await(d -> d.path().startsWith("/open-apis/"), Duration.ofSeconds(10));
        JsonNode f = Json.mapper().readTree(feishu.body());
        assertThat(f.path("msg_type").asText()).isEqualTo("text");
        assertThat(f.path("sign").asText()).isEqualTo(hmac(f.path("timestamp").asText() + "\n" + FEISHU_SECRET, ""));
        assertThat(f.path("content").path("text").asText()).contains("MySQLReplicationNotRunning");
    }

    @Test
    void aHealthyReplicaDoesNotReproduceTheAlertAndAResolvedOneRecovers() throws Exception {
        JsonNode firing = firstResult(post(server, payload("firing", "MysqlSlaveSqlThreadNotRunning", Map.of("instance", "db1:9104"))));
        assertThat(firing.path("verdict").asText()).isEqualTo("not-reproducible");
        assertThat(firing.path("findings").isEmpty()).isTrue();
        JsonNode resolved = firstResult(post(server, payload("resolved", "MysqlSlaveSqlThreadNotRunning", Map.of("instance", "db1:9104"))));
        assertThat(resolved.path("verdict").asText()).isEqualTo("recovered");
    }

    @Test
    void theSameAlertTwiceIsCheckedAndForwardedOnce() throws Exception {
        lab.stopSqlThread();
        String body = payload("firing", "MysqlSlaveSqlThreadNotRunning", Map.of("instance", "db1:9104"));
        JsonNode first = firstResult(post(server, body));
        JsonNode again = firstResult(post(server, body));
        assertThat(first.path("verdict").asText()).isEqualTo("confirmed");
        assertThat(again.path("verdict").asText()).isEqualTo("confirmed");
        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(first.has("duplicate")).isFalse();
        receiver.await(d -> d.path().equals("/hook"), Duration.ofSeconds(10));
        Thread.sleep(500);
        assertThat(receiver.deliveries().stream().filter(d -> d.path().equals("/hook")).count()).isEqualTo(1);
    }

    @Test
    void aSlowCheckAnswersPendingAndForwardsTheVerdictWhenDone() throws Exception {
        AlertService.Settings quick = new AlertService.Settings(Duration.ofMillis(200), Duration.ofMinutes(5), 2, 100, null, "en");
        CheckRegistry registry = CheckRegistry.load();
        Path cfg = dir.resolve("opsdoc.yaml");
        OpsdocConfig config = ConfigLoader.load(cfg, registry);
        try (OpsdocServer s = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8, 64 * 1024, 0, Optional.empty(), quick),
                config, registry, NoteCatalog.load(), Map.of("HOOK_URL", receiver.url("/hook"), "DING_URL", receiver.url("/d"), "DING_SECRET", "x",
                        "WECOM_URL", receiver.url("/w"), "FEISHU_URL", receiver.url("/f"), "FEISHU_SECRET", "y", "SLACK_URL", receiver.url("/s")))) {
            s.start();
            long t0 = System.nanoTime();
            JsonNode v = firstResult(post(s, payload("firing", "StuckReplicaAlert", Map.of())));
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(1.5);
            assertThat(v.path("verdict").asText()).isEqualTo("pending");
            CapturingReceiver.Delivery later = receiver.await(d -> d.path().equals("/hook"), Duration.ofSeconds(10));
            JsonNode forwarded = Json.mapper().readTree(later.body()).path("verdict");
            assertThat(forwarded.path("verdict").asText()).isEqualTo("check-error");
            assertThat(forwarded.path("reason").asText()).startsWith("TIMEOUT");
            assertThat(forwarded.path("noteSource").asText()).isEqualTo("config");
        }
    }

    @Test
    void unknownAlertsAndUnmatchedTargetsGetAUsefulAnswerNot5xx() throws Exception {
        JsonNode unknown = firstResult(post(server, payload("firing", "DiskOnFireInRack7", Map.of())));
        assertThat(unknown.path("verdict").asText()).isEqualTo("not-checked");
        assertThat(unknown.path("reason").asText()).startsWith("no note for alert DiskOnFireInRack7");

        JsonNode unmatched = firstResult(post(server, payload("firing", "MysqlSlaveReplicationLag",
                Map.of("instance", "db9:9104"))));
        assertThat(unmatched.path("verdict").asText()).isEqualTo("not-checked");
        assertThat(unmatched.path("reason").asText()).contains("no target for mysql-replication").contains("instance=db9:9104");
        assertThat(unmatched.path("note").path("id").asText()).isEqualTo("mysql/replication");

        JsonNode linked = firstResult(post(server, payload("firing", "TeamSpecificRedisAlert", Map.of())
                .replace("\"summary\":\"replica problem\"", "\"runbook_url\":\"https://opsdoc.example/notes/en/redis/memory#diagnosis\"")));
        assertThat(linked.path("noteSource").asText()).isEqualTo("runbook-url");
        assertThat(linked.path("note").path("id").asText()).isEqualTo("redis/memory");
    }

    @Test
    void garbageIs400OversizeIs413WrongMethodIs405() throws Exception {
        HttpResponse<String> bad = post(server, "{not json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(bad.body()).path("error").asText()).startsWith("not an Alertmanager webhook payload");
        assertThat(post(server, "{\"version\":\"3\",\"alerts\":[]}").body()).contains("version 3 is not supported");
        assertThat(post(server, "{\"version\":\"4\",\"alerts\":[{\"labels\":{}}]}").body()).contains("alerts[0] has no labels.alertname");
        assertThat(post(server, "[]").statusCode()).isEqualTo(400);
        assertThat(post(server, "").statusCode()).isEqualTo(400);
        assertThat(post(server, "x".repeat(70 * 1024)).statusCode()).isEqualTo(413);
        HttpResponse<String> streamed = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/alerts"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[200 * 1024]))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).as("no Content-Length: the limit still holds").isEqualTo(413);
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/alerts")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).contains("POST");
    }

    @Test
    void theTokenGuardsAlertsAndTheRateLimitAnswers429() throws Exception {
        String body = payload("firing", "DiskOnFireInRack7", Map.of());
        assertThat(post(guarded, body).statusCode()).isEqualTo(401);
        assertThat(post(guarded, body, "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            int code = post(guarded, body, "Authorization", "Bearer al3rt-token").statusCode();
            ok += code == 200 ? 1 : 0;
            limited += code == 429 ? 1 : 0;
        }
        assertThat(ok).as("the burst of 2/s x 2 passes").isBetween(4, 6);
        assertThat(limited).isGreaterThan(5);
    }

    @Test
    void aFailingReceiverIsLoggedByNameNeverByItsUrl() throws Exception {
        Path cfg = dir.resolve("failing.yaml");
        Files.writeString(cfg, """
                targets:
                  replica: {uri: "%s", password: {env: MONITOR_PW}, alert-instances: ["db1:9104"], checks: [mysql-replication]}
                forward:
                  - {name: dead-robot, type: dingtalk, url: {env: DEAD_URL}, secret: {env: DEAD_SECRET}}
                """.formatted(lab.replicaUri()));
        CheckRegistry registry = CheckRegistry.load();
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try (OpsdocServer s = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8), ConfigLoader.load(cfg, registry),
                registry, NoteCatalog.load(), Map.of("MONITOR_PW", lab.monitorPassword(), "DEAD_SECRET", "SECdead-signing",
                        "DEAD_URL", "http://127.0.0.1:" + io.opsdoc.lab.Ports.closedPort() + "/robot/send?access_token=tok-must-not-leak"))) {
            s.start();
            firstResult(post(s, payload("firing", "MysqlSlaveSqlThreadNotRunning", Map.of("instance", "db1:9104"))));
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!captured.toString(StandardCharsets.UTF_8).contains("dead-robot") && System.nanoTime() < end) {
                Thread.sleep(50);
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("forwarding MysqlSlaveSqlThreadNotRunning to dingtalk receiver dead-robot failed")
                .doesNotContain("tok-must-not-leak").doesNotContain("SECdead-signing").doesNotContain(lab.monitorPassword());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String hmac(String key, String msg) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(msg.getBytes(StandardCharsets.UTF_8)));
    }
}
