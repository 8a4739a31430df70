package io.opsdoc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Secret;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.lab.mysql.MariaDbReplicationLab;
import io.opsdoc.lab.SilentTcpServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** opsdoc serve on a real port, probing the real MariaDB lab. */
class OpsdocServerTest {
    private static MariaDbReplicationLab lab;
    private static OpsdocServer server;
    private static OpsdocServer guarded;
    private static SilentTcpServer blackHole;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        lab = MariaDbReplicationLab.shared();
        blackHole = SilentTcpServer.start();
        Path cfg = dir.resolve("opsdoc.yaml");
        Files.writeString(cfg, """
                defaults: {timeout: 5s}
                targets:
                  replica:
                    uri: "%s"
                    password: {env: MONITOR_PW}
                    checks: {mysql-replication: {lag-warning: 60s}}
                """.formatted(lab.replicaUri()));
        CheckRegistry registry = CheckRegistry.load();
        OpsdocConfig config = ConfigLoader.load(cfg, registry);
        Map<String, String> env = Map.of("MONITOR_PW", lab.monitorPassword());
        // URI targets on loopback (the black hole) are allowed here; the guarded server keeps the default, config names only
        server = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 16)
                .withProbes(ProbeService.Limits.defaults(), TargetAllowList.parse(java.util.List.of("127.0.0.0/8"))),
                config, registry, NoteCatalog.load(), env);
        server.start();
        guarded = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.of(Secret.of("t0ken-value", "test")), 4),
                config, registry, NoteCatalog.load(), env);
        guarded.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        guarded.close();
        blackHole.close();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    private static HttpResponse<String> get(OpsdocServer s, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void probeAnswersPrometheusExpositionForANamedTarget() throws Exception {
        HttpResponse<String> ok = get(server, "/probe?check=mysql-replication&target=replica");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(ok.body()).contains("opsdoc_check_status{check=\"mysql-replication\"} 0")
                .contains("# TYPE opsdoc_check_duration_seconds gauge")
                .contains("opsdoc_mysql_replication_lag_seconds{check=\"mysql-replication\"} 0")
                .doesNotContain("opsdoc_finding{").doesNotContain(lab.monitorPassword());

        lab.stopSqlThread();
        HttpResponse<String> broken = get(server, "/probe?check=mysql-replication&target=replica");
        assertThat(broken.body()).contains("opsdoc_check_status{check=\"mysql-replication\"} 2")
                .contains("opsdoc_finding{check=\"mysql-replication\",code=\"SQL_THREAD_STOPPED\",severity=\"CRITICAL\"} 1");
    }

    @Test
    void theScrapeTimeoutHeaderBoundsAProbeOfABlackHole() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = get(server, "/probe?check=mysql-replication&target=" + q("mysql://monitor@127.0.0.1:" + blackHole.port()),
                OpsdocServer.SCRAPE_TIMEOUT, "2");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(seconds).isLessThan(2.0);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("opsdoc_check_status{check=\"mysql-replication\"} 3").contains("code=\"TIMEOUT\"");
    }

    @Test
    void badRequestsGet400WithAReason() throws Exception {
        assertThat(get(server, "/probe?check=mysql-replication").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = get(server, "/probe?check=nope&target=replica");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown check 'nope'");
        HttpResponse<String> creds = get(server, "/probe?check=mysql-replication&target=" + q("mysql://monitor:hunter22@127.0.0.1:1"));
        assertThat(creds.statusCode()).isEqualTo(400);
        assertThat(creds.body()).contains("credentials never go in a URL").doesNotContain("hunter22");
        assertThat(get(server, "/probe?check=mysql-replication&target=replica", OpsdocServer.SCRAPE_TIMEOUT, "soon").statusCode()).isEqualTo(400);
        assertThat(get(server, "/probe?check=mysql-replication&target=" + q("redis://h:1")).body()).contains("runs on mysql:// targets");
        assertThat(get(server, "/nowhere").statusCode()).isEqualTo(404);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/probe"))
                .POST(HttpRequest.BodyPublishers.ofString("garbage")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void aTokenGuardsEverythingButHealthz() throws Exception {
        assertThat(get(guarded, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(guarded, "/notes/en/mysql/replication").statusCode()).as("runbook pages open from a browser").isEqualTo(200);
        assertThat(get(guarded, "/metrics").statusCode()).isEqualTo(401);
        assertThat(get(guarded, "/probe?check=mysql-replication&target=replica", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(guarded, "/metrics", "Authorization", "Bearer t0ken-value").statusCode()).isEqualTo(200);
        HttpResponse<String> ssrf = get(guarded, "/probe?check=http-status&target=" + q("http://127.0.0.1:22/"), "Authorization", "Bearer t0ken-value");
        assertThat(ssrf.statusCode()).as("a token holder cannot point the server at any port it reaches").isEqualTo(403);
        assertThat(ssrf.body()).contains("--allow-targets");
    }

    @Test
    void ownMetricsCountRequestsAndProbes() throws Exception {
        get(server, "/probe?check=mysql-replication&target=replica");
        String m = get(server, "/metrics").body();
        assertThat(m).contains("opsdoc_http_requests_total{route=\"/probe\",status=\"200\"}")
                .contains("opsdoc_probe_duration_seconds_count{check=\"mysql-replication\"");
    }

    @Test
    void notesAreServedAsHtmlWithAnchorsPerCode() throws Exception {
        HttpResponse<String> en = get(server, "/notes/en/mysql/replication");
        assertThat(en.statusCode()).isEqualTo(200);
        assertThat(en.body()).contains("<h2 id=\"sql-error\">SQL_ERROR</h2>").contains("<h2 id=\"meaning\">Meaning</h2>")
                .doesNotContain("{#");
        HttpResponse<String> zh = get(server, "/notes/zh/mysql/replication");
        assertThat(zh.body()).contains("<html lang=\"zh\">").contains("id=\"sql-error\"");
        String index = get(server, "/notes/?q=SQL_ERROR").body();
        assertThat(index).contains("href=\"/notes/en/mysql/replication#sql-error\"");
        assertThat(get(server, "/notes/").body()).contains("/notes/en/opsdoc/probe-errors");
        assertThat(get(server, "/notes/en/no/such-note").statusCode()).isEqualTo(404);
        assertThat(get(server, "/notes/en/%3Cscript%3E").body()).doesNotContain("<script>");
    }

    @Test
    void scrapesReuseTheConnectionAndSurviveItsLoss() throws Exception {
        get(server, "/probe?check=mysql-replication&target=replica");
        get(server, "/probe?check=mysql-replication&target=replica");
        assertThat(server.probes().pooledClients()).as("one kept connection serves consecutive scrapes").isEqualTo(1);
        try (java.sql.Connection admin = lab.adminConnection(true); java.sql.Statement st = admin.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '" + lab.monitorUser() + "'")) {
            java.util.List<Long> ids = new java.util.ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            assertThat(ids).hasSize(1);
            try (java.sql.Statement kill = admin.createStatement()) {
                kill.execute("KILL CONNECTION " + ids.get(0));
            }
        }
        HttpResponse<String> after = get(server, "/probe?check=mysql-replication&target=replica");
        assertThat(after.body()).as("a killed kept connection costs a reconnect, not a false UNKNOWN")
                .contains("opsdoc_check_status{check=\"mysql-replication\"} 0");
    }
}
