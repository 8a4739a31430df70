package io.opsdoc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.server.alerts.AlertService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated webhook bodies: none may produce a 5xx, and afterwards no request thread, alert
 * worker or connection may be left behind. The seed is fixed so a failure replays.
 */
class AlertsFuzzTest {
    private static final String VALID = """
            {"version":"4","groupKey":"{}:{alertname=\\"KubeNodeNotReady\\"}","status":"firing","receiver":"opsdoc",
             "groupLabels":{"alertname":"KubeNodeNotReady"},"commonLabels":{"severity":"warning"},"commonAnnotations":{},
             "externalURL":"http://am:9093","truncatedAlerts":0,
             "alerts":[{"status":"firing","labels":{"alertname":"KubeNodeNotReady","node":"worker-1","instance":"10.0.0.7:8080"},
               "annotations":{"runbook_url":"https://x/notes/en/kubernetes/node-notready#node-not-ready","summary":"s"},
               "startsAt":"2026-11-21T08:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://p/g","fingerprint":"0123456789abcdef"},
              {"status":"resolved","labels":{"alertname":"RedisOutOfConfiguredMaxmemory","instance":"redis://10.0.0.8:6379"},
               "annotations":{},"startsAt":"2026-11-21T08:00:00Z","endsAt":"2026-11-21T08:05:00Z","fingerprint":"fedcba9876543210"}]}
            """;
    private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e999", "\"4\"", "\"alerts\"",
            "\"labels\"", "\"alertname\"", "\\u0000", "\uD800", "é", "\"version\"", " ", "\n", "{\"a\":", "\"status\":\"resolved\""};

    @Test
    void randomAndMutatedPayloadsNeverGet5xxAndLeaveNothingBehind() throws Exception {
        Random random = new Random(20261121L);
        AlertService.Settings settings = new AlertService.Settings(Duration.ofMillis(300), Duration.ofMinutes(5), 2, 100, null, "en");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        try (OpsdocServer server = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8, 16 * 1024, 0,
                Optional.empty(), settings), null, CheckRegistry.load(), NoteCatalog.load(), Map.of())) {
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/alerts");
            for (int i = 0; i < 3000; i++) {
                byte[] body = switch (i % 4) {
                    case 0 -> randomBytes(random);
                    case 1 -> randomTokens(random);
                    default -> mutate(VALID, random);
                };
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                statuses.merge(r.statusCode(), 1, Integer::sum);
                assertThat(r.statusCode()).as("payload %d: %s -> %s", i, new String(body, StandardCharsets.UTF_8), r.body()).isLessThan(500);
            }
            assertThat(statuses).containsKeys(200, 400);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.alerts().inFlight() > 0 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertThat(server.alerts().inFlight()).isZero();
        }
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!opsdocThreads().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertThat(opsdocThreads()).as("request and alert threads after the server closed; statuses %s", statuses).isEmpty();
    }

    private static java.util.List<String> opsdocThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("opsdoc-serve") || n.startsWith("opsdoc-alert")).toList();
    }

    @Test
    void connectionsAreClosedWhenClientsGoAway() throws Exception {
        try (OpsdocServer server = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8), null,
                CheckRegistry.load(), NoteCatalog.load(), Map.of())) {
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/alerts");
            for (int i = 0; i < 50; i++) {
                // Half a request, then the client vanishes: the server must not keep the connection.
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", uri.getPort())) {
                    socket.getOutputStream().write(("POST /alerts HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"alerts\":[").getBytes(StandardCharsets.UTF_8));
                    socket.getOutputStream().flush();
                }
            }
            ServerConnector c = (ServerConnector) server.connectors()[0];
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!c.getConnectedEndPoints().isEmpty() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertThat(java.util.List.copyOf(c.getConnectedEndPoints())).isEmpty();
        }
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(400)];
        r.nextBytes(b);
        return b;
    }

    private static byte[] randomTokens(Random r) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(60);
        for (int i = 0; i < n; i++) {
            b.append(TOKENS[r.nextInt(TOKENS.length)]);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Byte flips, deletions, duplications and token splices of a valid payload: near-misses reach deeper code. */
    private static byte[] mutate(String valid, Random r) {
        StringBuilder s = new StringBuilder(valid);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && s.length() > 0; e++) {
            int at = r.nextInt(s.length());
            switch (r.nextInt(4)) {
                case 0 -> s.setCharAt(at, (char) (32 + r.nextInt(95)));
                case 1 -> s.delete(at, Math.min(s.length(), at + 1 + r.nextInt(20)));
                case 2 -> s.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
                default -> s.insert(at, s.substring(at, Math.min(s.length(), at + r.nextInt(40))));
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
