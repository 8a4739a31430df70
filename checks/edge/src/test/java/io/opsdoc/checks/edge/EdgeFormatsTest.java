package io.opsdoc.checks.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parsers on the servers' exact output (captured from Debian's nginx 1.22.1 and HAProxy 2.6.12 on this machine),
 * and the branches the lab does not take: drops during the window (CRITICAL), an error log whose request carries a
 * token.
 */
class EdgeFormatsTest {
    @TempDir
    Path tmp;

    @Test
    void stubStatusAsNginxPrintsIt() {
        StubStatus s = StubStatus.parse("Active connections: 1 \nserver accepts handled requests\n 2 2 2 \n"
                + "Reading: 0 Writing: 1 Waiting: 0 \n");
        assertThat(s).isEqualTo(new StubStatus(1, 2, 2, 2, 0, 1, 0));
        assertThat(StubStatus.parse("<html>404</html>")).isNull();
    }

    @Test
    void dropsDuringTheWindowAreCritical() {
        NginxStatus check = new NginxStatus();
        NginxStatusFacts facts = new NginxStatusFacts("http://n/nginx_status", new StubStatus(30, 1000, 990, 5000, 0, 29, 1),
                new StubStatus(31, 1100, 1080, 5200, 0, 30, 1), 2000);
        Evaluation e = Evaluation.of(check, "nginx://n", facts, Parameters.resolve(check.id(), check.parameters(), Map.of()));
        Finding f = e.findings().get(0);
        assertThat(f.code()).isEqualTo("CONNECTIONS_DROPPED");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("dropped_total", 20L).containsEntry("dropped_in_window", 10L);
    }

    @Test
    void haproxyCsvWithEveryServerOfABackendDown() throws IOException {
        String csv;
        try (InputStream in = getClass().getResourceAsStream("/edge/haproxy-2.6-stats-down.csv")) {
            csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<HaproxyFacts.Row> rows = StatsCsv.parse(csv);
        HaproxyFacts.Row s2 = rows.stream().filter(r -> r.name().equals("s2")).findFirst().orElseThrow();
        assertThat(s2.status()).isEqualTo("DOWN");
        assertThat(s2.checkStatus()).isEqualTo("L4CON");
        assertThat(s2.lastCheck()).isEqualTo("Connection refused");
        assertThat(s2.qlimit()).isEqualTo(3L);
        assertThat(s2.slim()).isEqualTo(5L);
        HaproxyBackends check = new HaproxyBackends();
        Evaluation e = Evaluation.of(check, "haproxy://h", new HaproxyFacts("http://h/stats;csv", rows),
                Parameters.resolve(check.id(), check.parameters(), Map.of()));
        Finding down = e.findings().stream().filter(f -> f.code().equals("BACKEND_DOWN")).findFirst().orElseThrow();
        assertThat(down.summary()).contains("be_x", "s1 DOWN (check L4CON: Connection refused)", "s2 DOWN");
        assertThat(e.findings().stream().filter(f -> f.code().equals("SERVER_DOWN")).count()).isEqualTo(2);
        assertThat(StatsCsv.parse("<html>")).isNull();
    }

    @Test
    void errorLogLinesWithinTheWindowWithoutTheRequest() {
        String log = "2026/12/04 18:46:39 [error] 8543#8543: *1 connect() failed (111: Connection refused) while "
                + "connecting to upstream, client: 127.0.0.1, server: , request: \"GET /slow/x?token=secret HTTP/1.1\", "
                + "upstream: \"http://127.0.0.1:18599/slow/x?token=secret\", host: \"127.0.0.1:18491\"\n"
                + "2026/12/04 18:46:39 [info] 8543#8543: *1 client 127.0.0.1 closed keepalive connection\n"
                + "2026/12/04 17:00:00 [error] 8543#8543: *9 upstream timed out (110: Connection timed out) while "
                + "reading response header from upstream, client: 127.0.0.1\n";
        ZonedDateTime now = ZonedDateTime.of(2026, 12, 4, 18, 50, 0, 0, ZoneId.systemDefault());
        UpstreamsFacts.LogScan scan = ErrorLogScan.scan(log, "error.log", log.length(), 300, now);
        assertThat(scan.linesInWindow()).isEqualTo(2);
        assertThat(scan.hits()).hasSize(1);
        UpstreamsFacts.Hit hit = scan.hits().get(0);
        assertThat(hit.kind()).isEqualTo("LOG_UPSTREAM_REFUSED");
        assertThat(hit.upstream()).isEqualTo("http://127.0.0.1:18599");
        assertThat(hit.example()).contains("connect() failed (111").doesNotContain("token");
    }

    @Test
    void configIncludesAreFollowedLikeNginxDoes() throws IOException {
        Files.createDirectories(tmp.resolve("conf.d"));
        Files.writeString(tmp.resolve("nginx.conf"), "http {\n  include conf.d/*.conf; # upstreams\n"
                + "  upstream main { server 10.0.0.1:80 weight=2; server 10.0.0.2:80 backup; }\n}\n");
        Files.writeString(tmp.resolve("conf.d/a.conf"), "upstream a {\n  server 10.0.0.3:8080 max_fails=0;\n"
                + "  server unix:/run/app.sock down;\n  keepalive 16;\n}\n");
        Files.writeString(tmp.resolve("conf.d/b.txt"), "upstream ignored { server 10.9.9.9:1; }\n");
        List<NginxConfig.UpstreamServer> servers = NginxConfig.read(tmp.resolve("nginx.conf"));
        assertThat(servers).containsExactly(
                new NginxConfig.UpstreamServer("main", "10.0.0.1:80", false, false, null),
                new NginxConfig.UpstreamServer("main", "10.0.0.2:80", true, false, null),
                new NginxConfig.UpstreamServer("a", "10.0.0.3:8080", false, false, 0),
                new NginxConfig.UpstreamServer("a", "unix:/run/app.sock", false, true, null));
    }
}
