package io.opsdoc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.lab.SilentTcpServer;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scraper that gives up frees what its probe held at once, not at the probe's deadline: the running probe is
 * interrupted and the queued one withdrawn as soon as the kernel shows the connection closed by the scraper.
 */
@Tag("lab")
class ScraperHangUpTest {

    @TempDir
    Path dir;

    @Test
    void runningAndQueuedProbesOfScrapersThatLeftAreCancelledLongBeforeTheirDeadline() throws Exception {
        try (SilentTcpServer hole = SilentTcpServer.start()) {
            Path cfg = dir.resolve("opsdoc.yaml");
            Files.writeString(cfg, """
                    defaults: {timeout: 30s, per-target: 1}
                    targets:
                      hung: {uri: "http://127.0.0.1:%d/", checks: [http-status]}
                    """.formatted(hole.port()));
            CheckRegistry registry = CheckRegistry.load();
            try (OpsdocServer server = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8)
                    .withProbes(new ProbeService.Limits(8, 64, 6), TargetAllowList.parse(List.of())),
                    ConfigLoader.load(cfg, registry), registry, NoteCatalog.load(), Map.of())) {
                server.start();
                Socket running = scrape(server);
                Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> server.probes().inFlight() == 1);
                Socket queued = scrape(server);
                Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> server.probes().queued() == 1);

                long t0 = System.nanoTime();
                running.close();
                queued.close();
                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> server.probes().inFlight() == 0 && server.probes().queued() == 0);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("ScraperHangUpTest: both probes freed " + ms + " ms after their scrapers left");
                assertThat(ms).as("freed %d ms after the scrapers left; the probes' deadline was 30 s", ms).isLessThan(10_000);
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.address().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("opsdoc_probes_cancelled_total{reason=\"disconnect\"} 2.0");

                // the server still answers probes afterwards, on the slot the cancelled probe gave back
                Socket again = scrape(server);
                Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> server.probes().inFlight() == 1);
                again.close();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.probes().inFlight() == 0);
            }
        }
    }

    @Test
    void readsTheKernelsConnectionTable() {
        // /proc/net/tcp6 lines as Linux prints them: a dual-stack socket of 127.0.0.1:9464 whose peer
        // 127.0.0.1:51234 closed (CLOSE_WAIT, 08), and the same one still established (01)
        String closed = "   3: 0000000000000000FFFF00000100007F:24F8 0000000000000000FFFF00000100007F:C822 08 00000000:00000000 00:00000000 00000000     0        0 2908983 1 0000000000000000 20 4 30 10 -1";
        String open = closed.replace(" 08 ", " 01 ");
        assertThat(HungUpScrapers.closeWait(closed)).isEqualTo(new HungUpScrapers.Key(9464, "127.0.0.1", 51234));
        assertThat(HungUpScrapers.closeWait(open)).isNull();
        // /proc/net/tcp: 10.0.0.5:9464 <- 192.168.1.20:40000
        String v4 = "   0: 0500000A:24F8 1401A8C0:9C40 08 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 20 4 30 10 -1";
        assertThat(HungUpScrapers.closeWait(v4)).isEqualTo(new HungUpScrapers.Key(9464, "192.168.1.20", 40000));
        assertThat(HungUpScrapers.closeWait("garbage")).isNull();
    }

    private static Socket scrape(OpsdocServer s) throws IOException {
        Socket socket = new Socket("127.0.0.1", s.address().getPort());
        socket.getOutputStream().write(("GET /probe?check=http-status&target=hung HTTP/1.1\r\nHost: opsdoc\r\n"
                + OpsdocServer.SCRAPE_TIMEOUT + ": 30\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return socket;
    }
}
