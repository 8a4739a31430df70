package io.opsdoc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.notes.NoteCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve under the load of hung targets (issue 21): HTTP, MySQL, Redis and Kafka servers that accept and never answer
 * hold every probe slot, with scrapers queueing behind them and giving up. Functional, not timing-tight: the bounds
 * asserted are seconds where the code needs milliseconds, so a loaded machine does not make them flaky.
 */
class ProbeLoadTest {
    private static final String[][] HUNG = {{"hung-http", "http-status"}, {"hung-mysql", "mysql-replication"},
            {"hung-redis", "redis-memory"}, {"hung-kafka", "kafka-cluster"}};
    private static BlackHoles holes;
    private static HttpServer healthy;
    private static OpsdocServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        holes = new BlackHoles(HUNG.length);
        healthy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        healthy.createContext("/", x -> {
            x.sendResponseHeaders(200, 3);
            x.getResponseBody().write("ok\n".getBytes(StandardCharsets.UTF_8));
            x.close();
        });
        healthy.start();
        Path cfg = dir.resolve("opsdoc.yaml");
        Files.writeString(cfg, """
                defaults: {timeout: 4s, per-target: 2}
                targets:
                  hung-http: {uri: "http://127.0.0.1:%d/", checks: [http-status]}
                  hung-mysql: {uri: "mysql://monitor@127.0.0.1:%d", checks: [mysql-replication]}
                  hung-redis: {uri: "redis://127.0.0.1:%d", checks: {redis-memory: {window: 100ms}}}
                  hung-kafka: {uri: "kafka://127.0.0.1:%d", checks: [kafka-cluster]}
                  healthy: {uri: "http://127.0.0.1:%d/", checks: [http-status], timeout: 10s}
                """.formatted(holes.port(0), holes.port(1), holes.port(2), holes.port(3), healthy.getAddress().getPort()));
        CheckRegistry registry = CheckRegistry.load();
        OpsdocConfig config = ConfigLoader.load(cfg, registry);
        // 4 hung servers x 2 slots = all 8 probe slots; 6 may wait per server
        server = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8)
                .withProbes(new ProbeService.Limits(8, 64, 6), TargetAllowList.parse(List.of("127.0.0.0/8"))),
                config, registry, NoteCatalog.load(), Map.of());
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        healthy.stop(0);
        holes.close();
    }

    @Test
    void hungTargetsHoldEverySlotAndNothingElseWaitsOrLeaks() throws Exception {
        // Warm up: every client library loaded and its long-lived threads started, so "idle" is the level after use.
        List<Scrape> warm = new ArrayList<>();
        for (String[] h : HUNG) {
            warm.add(Scrape.send(server, "/probe?check=" + h[1] + "&target=" + h[0], 10));
        }
        warm.add(Scrape.send(server, "/probe?check=http-status&target=healthy", 10));
        for (Scrape s : warm) {
            s.await(15_000);
        }
        awaitTrue(() -> server.probes().inFlight() == 0 && holes.open() == 0, 20_000, "warm-up probes end");
        Thread.sleep(5_000); // threads grown by the warm-up idle out (2 s HTTP pool, 2 s probe pool, 3 s HttpClient)
        long idleFds = fds();
        int idleThreads = threads();

        // The load: 10 scrapes per hung server, more than its 2 slots and 6 places in the queue.
        List<Scrape> load = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (String[] h : HUNG) {
                load.add(Scrape.send(server, "/probe?check=" + h[1] + "&target=" + h[0], 10));
            }
        }
        awaitTrue(() -> server.probes().inFlight() == 8, 10_000, "hung targets take every slot");
        // Half the scrapers give up at once (a scrape timeout shorter than the probe's); the rest wait for their answers.
        for (int i = 0; i < load.size(); i += 2) {
            load.get(i).close();
        }

        long t0 = System.nanoTime();
        Scrape health = Scrape.send(server, "/healthz", 0);
        assertThat(health.await(5_000)).as("/healthz while every probe slot is held").contains("200 OK").endsWith("ok\n");
        long healthMs = (System.nanoTime() - t0) / 1_000_000;

        t0 = System.nanoTime();
        String ok = Scrape.send(server, "/probe?check=http-status&target=healthy", 10).await(15_000);
        long healthyMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ok).as("the healthy target gets the next free slot, ahead of the hung targets' queue")
                .contains("opsdoc_check_status{check=\"http-status\"} 0");

        t0 = System.nanoTime();
        String late = Scrape.send(server, "/probe?check=redis-memory&target=hung-redis", 1).await(10_000);
        long lateMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(late).as("a probe that cannot start before its deadline is answered as rejected, not hung")
                .contains("opsdoc_check_status{check=\"redis-memory\"} 3").containsPattern("opsdoc_probe_rejected\\{.*reason=\"(deadline|queue_full)\"");
        assertThat(lateMs).as("answered by its 1 s scrape timeout, give or take a loaded machine").isLessThan(3_000);

        List<String> answers = new ArrayList<>();
        for (int i = 1; i < load.size(); i += 2) {
            answers.add(load.get(i).await(20_000));
        }
        assertThat(answers).allSatisfy(a -> assertThat(a).contains("200 OK").contains("} 3"));
        assertThat(String.join("", answers)).as("past the queue's 6 places a probe is rejected at once").contains("reason=\"queue_full\"");

        // Back to idle: no thread, socket or kept client left from the hung probes.
        awaitTrue(() -> server.probes().inFlight() == 0, 20_000, "every slot released");
        awaitTrue(() -> holes.open() == 0, 20_000, () -> "no connection to the hung servers is left open: " + holes.openByPort()
                + " open by port; ports " + holes.port(0) + " http, " + holes.port(1) + " mysql, " + holes.port(2) + " redis, " + holes.port(3) + " kafka");
        awaitTrue(() -> fds() <= idleFds * 1.1 + 5 && threads() <= idleThreads * 1.1 + 2, 20_000,
                () -> "fds " + fds() + " (idle " + idleFds + "), threads " + threads() + " (idle " + idleThreads + ")");
        assertThat(server.probes().pooledClients()).as("clients of hung targets are closed, not kept").isZero();
        String metrics = Scrape.send(server, "/metrics", 0).await(5_000);
        assertThat(metrics).contains("opsdoc_probes_in_flight 0.0").contains("opsdoc_probes_queued 0.0")
                .containsPattern("opsdoc_probes_rejected_total\\{reason=\"queue_full\"} [1-9]")
                .contains("opsdoc_probes_cancelled_total{reason=\"deadline\"}")
                .contains("opsdoc_probes_limit{limit=\"max_probes\"} 8.0");
        System.out.printf("ProbeLoadTest: /healthz %d ms, healthy probe %d ms, late probe %d ms; fds idle %d -> %d; threads idle %d -> %d%n%s%n",
                healthMs, healthyMs, lateMs, idleFds, fds(), idleThreads, threads(),
                metrics.lines().filter(l -> l.startsWith("opsdoc_probes_")).reduce("", (a, b) -> a + b + "\n"));
    }

    @Test
    void uriTargetsNeedTheAllowList() throws Exception {
        try (OpsdocServer closed = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8), null,
                CheckRegistry.load(), NoteCatalog.load(), Map.of())) {
            closed.start();
            String refused = Scrape.send(closed, "/probe?check=http-status&target=http://127.0.0.1:22/", 5).await(10_000);
            assertThat(refused).contains("403 Forbidden").contains("--allow-targets");
        }
        String allowed = Scrape.send(server, "/probe?check=http-status&target=http://127.0.0.1:" + healthy.getAddress().getPort() + "/", 5)
                .await(10_000);
        assertThat(allowed).contains("200 OK").contains("opsdoc_check_status{check=\"http-status\"} 0");
        String elsewhere = Scrape.send(server, "/probe?check=http-status&target=http://10.1.2.3:22/", 5).await(10_000);
        assertThat(elsewhere).contains("403 Forbidden").contains("10.1.2.3:22 is not in --allow-targets");
    }

    private static long fds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static void awaitTrue(BooleanSupplier condition, long ms, String what) throws InterruptedException {
        awaitTrue(condition, ms, () -> what);
    }

    private static void awaitTrue(BooleanSupplier condition, long ms, java.util.function.Supplier<String> what) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + ms + " ms: " + what.get());
            }
            Thread.sleep(100);
        }
    }

    /** One scrape on its own connection, as a scraper that may give up: close() abandons it. */
    private static final class Scrape implements AutoCloseable {
        private final Socket socket;

        private Scrape(Socket socket) {
            this.socket = socket;
        }

        static Scrape send(OpsdocServer s, String pathAndQuery, double scrapeTimeout) throws IOException {
            Socket socket = new Socket("127.0.0.1", s.address().getPort());
            String header = scrapeTimeout > 0 ? OpsdocServer.SCRAPE_TIMEOUT + ": " + scrapeTimeout + "\r\n" : "";
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: opsdoc\r\n" + header + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new Scrape(socket);
        }

        /** The whole response, status line and body; the connection is closed after. */
        String await(int ms) throws IOException {
            try (socket) {
                socket.setSoTimeout(ms);
                InputStream in = socket.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within " + ms + " ms");
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
