package io.opsdoc.lab.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Json;
import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.alerting.PeerProcess;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Debian's Prometheus 2.42 on a loopback port, scraping itself every second, with a Watchdog alert that always fires
 * and carries its runbook_url (the healthy state: a firing alert is not a fault, one without a runbook is). Faults
 * rewrite prometheus.yml or the rule file and reload through {@code POST /-/reload} (--web.enable-lifecycle), then wait
 * until the API shows the change: a reload answers before the new targets are scraped or the new rules evaluated.
 */
public final class PrometheusLab implements Lab {
    private static final String[] BINARY = {"/usr/bin/prometheus"};
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration SHOWS = Duration.ofSeconds(30);
    private static volatile PrometheusLab shared;

    private final Path dir;
    private final int port;
    private final PeerProcess prometheus;
    private io.opsdoc.lab.host.LabSshAccess ssh;

    private PrometheusLab(Path dir, int port, PeerProcess prometheus) {
        this.dir = dir;
        this.port = port;
        this.prometheus = prometheus;
    }

    public static String unavailable() {
        return ExternalBinary.find(BINARY).isPresent() ? null : ExternalBinary.missing("prometheus", "prometheus");
    }

    public static PrometheusLab start() {
        Path dir = LabFiles.tempDir("opsdoc-prometheus-lab-");
        int port = Ports.freePort();
        try {
            writeConfig(dir, port, false);
            writeRules(dir, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PeerProcess p = PeerProcess.start("prometheus", ExternalBinary.find(BINARY).orElseThrow(), dir, port, List.of(
                "--config.file={dir}/prometheus.yml", "--storage.tsdb.path={dir}/data",
                "--web.listen-address=127.0.0.1:{port}", "--web.enable-lifecycle", "--log.level=warn"),
                Duration.ofSeconds(60));
        PrometheusLab lab = new PrometheusLab(dir, port, p);
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "prometheus-lab-cleanup"));
        try {
            lab.awaitHealthy();
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        lab.warmUpSsh();
        return lab;
    }

    public static synchronized PrometheusLab shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public String target() {
        return "prometheus://127.0.0.1:" + port;
    }

    // ---- faults ----

    /** A node-exporter job whose only target is a closed port: the scrape is refused, the target turns down. */
    public void addDeadTarget() throws IOException {
        writeConfig(dir, port, true);
        reload();
        await("node-exporter target down", "/api/v1/targets?state=active", d -> stream(d.path("activeTargets"))
                .anyMatch(t -> "node-exporter".equals(t.path("labels").path("job").asText())
                        && "down".equals(t.path("health").asText()) && !t.path("lastError").asText().isEmpty()));
    }

    /**
     * A recording rule that parses but fails on every evaluation: both sides of {@code + on()} have two series with
     * the same (empty) match labels, the classic many-to-many error of a join written without enough labels.
     */
    public void addFailingRule() throws IOException {
        writeRules(dir, """
                  - name: lab-join
                    rules:
                      - record: lab:join:sum
                        expr: >-
                          (label_replace(vector(1), "a", "x", "", "") or label_replace(vector(1), "a", "y", "", ""))
                          + on() (label_replace(vector(1), "b", "x", "", "") or label_replace(vector(1), "b", "y", "", ""))
                """);
        reload();
        await("lab-join failing", "/api/v1/rules", d -> stream(d.path("groups"))
                .flatMap(g -> stream(g.path("rules"))).anyMatch(r -> "err".equals(r.path("health").asText())));
    }

    /** An alert that fires at once and forever, with a summary but no runbook_url. */
    public void addAlertWithoutRunbook() throws IOException {
        writeRules(dir, """
                  - name: lab-no-runbook
                    rules:
                      - alert: LabQueueStuck
                        expr: vector(1)
                        labels: {severity: warning}
                        annotations: {summary: "the lab's queue does not drain"}
                """);
        reload();
        await("LabQueueStuck firing", "/api/v1/alerts", d -> stream(d.path("alerts"))
                .anyMatch(a -> "LabQueueStuck".equals(a.path("labels").path("alertname").asText())
                        && "firing".equals(a.path("state").asText())));
    }

    /**
     * ssh:// to this machine as the host lab's test user, for prometheus-rules-lint over SSH (started on first use),
     * with the lab directory's files readable by that user's group.
     */
    public synchronized String sshTarget(io.opsdoc.lab.host.LabSshAccess.HostKey key) {
        if (ssh == null) {
            var access = new io.opsdoc.lab.host.LabSshAccess(dir);
            access.shareWithTestUser(dir); // starts the sshd: kept only once that worked
            ssh = access;
        }
        return ssh.target(key);
    }

    /**
     * Starts the sshd of the ssh:// scenarios (key generation, a user, the daemon: seconds of CPU) on a daemon thread
     * while the HTTP scenarios run, which mostly wait for Prometheus; the first ssh:// scenario then finds it up.
     * A failure here is left to that scenario, which starts it again and reports why.
     */
    private void warmUpSsh() {
        if (io.opsdoc.lab.host.LabSshd.unavailable() != null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                sshTarget(io.opsdoc.lab.host.LabSshAccess.HostKey.KNOWN);
            } catch (RuntimeException e) {
                // the ssh:// scenarios start it again and fail with the cause
            }
        }, "prometheus-lab-ssh-warm-up");
        t.setDaemon(true);
        t.start();
    }

    public synchronized String sshPassphrase() {
        return ssh.passphrase();
    }

    /** The lab's rule files as prometheus-rules-lint's rule-files= glob (not prometheus.yml beside them). */
    public String ruleFilesGlob() {
        return dir.resolve("rules*.yml").toString();
    }

    /**
     * The rule file rewritten with two alerts promtool rejects and no reload (a deploy that has not reached the
     * server yet): the notes' invented pipe and timezone(), and an offset without its duration.
     */
    public void writeInvalidRules() throws IOException {
        writeRules(dir, """
                  - name: lab-business-hours
                    rules:
                      - alert: LabOffHoursTraffic
                        expr: 'rate(http_requests_total[5m]) | timezone(offset: 8h)'
                      - alert: LabYesterdayTraffic
                        expr: rate(http_requests_total[5m]) offset
                """);
    }

    /**
     * A new alert written with the source notes' invented PromQL (a pipe and a timezone() function) and a reload: the
     * rule manager cannot parse it, the reload fails, and Prometheus keeps the previous rules (Watchdog only).
     */
    public void failReload() throws IOException {
        writeRules(dir, """
                  - name: lab-business-hours
                    rules:
                      - alert: LabOffHoursTraffic
                        expr: 'rate(http_requests_total[5m]) | timezone(offset: 8h)'
                """);
        int status = post("/-/reload");
        if (status == 200) {
            throw new IllegalStateException("prometheus accepted a rule file with a pipe in PromQL");
        }
        await("reloadConfigSuccess false", "/api/v1/status/runtimeinfo",
                d -> d.path("reloadConfigSuccess").isBoolean() && !d.path("reloadConfigSuccess").asBoolean());
    }

    @Override
    public void heal() {
        try {
            writeConfig(dir, port, false);
            writeRules(dir, "");
            reload();
            awaitHealthy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Itself up, nothing else scraped, only Watchdog's rule, Watchdog firing (activeTargets is empty at first). */
    private void awaitHealthy() {
        await("last reload successful", "/api/v1/status/runtimeinfo",
                d -> d.path("reloadConfigSuccess").asBoolean(false));
        await("self-scrape up", "/api/v1/targets?state=active", d -> d.path("activeTargets").size() == 1
                && "up".equals(d.path("activeTargets").get(0).path("health").asText()));
        await("only Watchdog's rule", "/api/v1/rules", d -> d.path("groups").size() == 1
                && stream(d.path("groups")).flatMap(g -> stream(g.path("rules"))).allMatch(r -> "ok".equals(r.path("health").asText())));
        await("only Watchdog firing", "/api/v1/alerts", d -> d.path("alerts").size() == 1
                && "firing".equals(d.path("alerts").get(0).path("state").asText()));
    }

    private void reload() {
        int status = post("/-/reload");
        if (status != 200) {
            throw new IllegalStateException("prometheus reload answered " + status);
        }
    }

    private int post(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url(path)))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void await(String what, String path, Predicate<JsonNode> data) {
        Awaitility.await(what).atMost(SHOWS).pollInterval(Duration.ofMillis(250)).pollInSameThread()
                .ignoreExceptions().until(() -> data.test(get(path)));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url(path)))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body()).path("data");
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static void writeConfig(Path dir, int port, boolean deadTarget) throws IOException {
        String dead = deadTarget ? """
                  - job_name: node-exporter
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(Ports.closedPort()) : "";
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 500ms
                  evaluation_interval: 1s
                rule_files: [rules.yml]
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                %s""".formatted(port, dead));
    }

    private static void writeRules(Path dir, String extraGroups) throws IOException {
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: meta
                    rules:
                      - alert: Watchdog
                        expr: vector(1)
                        labels: {severity: none}
                        annotations:
                          summary: always firing, to prove the alerting pipeline works
                          runbook_url: https://runbooks.example/monitoring/watchdog
                """ + extraGroups);
    }

    @Override
    public String where() {
        return "prometheus 127.0.0.1:" + port + " (" + dir + ")";
    }

    @Override
    public void close() {
        synchronized (this) {
            if (ssh != null) {
                ssh.close();
            }
        }
        prometheus.close();
        LabFiles.deleteRecursively(dir);
    }
}
