package io.opsdoc.lab.kubernetes;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for kube-proxy's health server, one per lab node, each on its own loopback address (127.0.0.11, .12,
 * .13: the nodes' InternalIPs) and all on one port, as kube-proxy listens on :10256 of every node. Each answers
 * {@code GET /healthz} as kube-proxy's proxier health server does: status 200 while its rules were synced recently,
 * 503 once it has fallen behind, and the body {@code {"lastUpdated": "...","currentTime": "...", "nodeEligible": true}}
 * with both times printed by Go's {@code time.Time.String()} (nanoseconds, zone, monotonic reading). A realistic
 * mock, not kube-proxy: no kube-proxy binary runs here, and this is what its /healthz answers.
 */
final class KubeProxyHealthz implements AutoCloseable {
    private static final DateTimeFormatter GO = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS '+0000 UTC'")
            .withZone(ZoneOffset.UTC);
    private final long started = System.nanoTime();
    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<String, Instant> staleSince = new HashMap<>();
    private final List<String> nodes;
    private int port;

    private KubeProxyHealthz(List<String> nodes) {
        this.nodes = nodes;
    }

    static String address(int nodeIndex) {
        return "127.0.0." + (11 + nodeIndex);
    }

    /** Binds the first node's address on a free port (port 0), then the others on that same port. */
    static KubeProxyHealthz start(List<String> nodes) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            KubeProxyHealthz h = new KubeProxyHealthz(nodes);
            try {
                h.bind();
                return h;
            } catch (BindException e) {
                h.close(); // another process holds the port on one of the other addresses: take a new one
                last = e;
            } catch (IOException e) {
                h.close();
                throw new UncheckedIOException(e);
            }
        }
        throw new UncheckedIOException("cannot bind kube-proxy stand-ins on 127.0.0.11-13", last);
    }

    private void bind() throws IOException {
        for (int i = 0; i < nodes.size(); i++) {
            String node = nodes.get(i);
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address(i)), port), 16);
            port = s.getAddress().getPort();
            s.createContext("/healthz", exchange -> {
                Instant now = Instant.now();
                Instant stale;
                synchronized (this) {
                    stale = staleSince.get(node);
                }
                // a synced proxier updates lastUpdated on every sync (at least every syncPeriod, 30 s by default)
                Instant last = stale != null ? stale : now.minusMillis(1200);
                String body = "{\"lastUpdated\": \"" + go(last) + "\",\"currentTime\": \"" + go(now)
                        + "\", \"nodeEligible\": true}";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
                exchange.sendResponseHeaders(stale == null ? 200 : 503, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            s.start();
            servers.add(s);
        }
    }

    private String go(Instant t) {
        long mono = System.nanoTime() - started - Duration.between(t, Instant.now()).toNanos();
        return GO.format(t) + " m=+" + String.format(java.util.Locale.ROOT, "%.9f", Math.max(0, mono) / 1e9 + 3600);
    }

    int port() {
        return port;
    }

    /** kube-proxy on {@code node} last synced its rules at {@code since} and has not since: /healthz answers 503. */
    synchronized void stale(String node, Instant since) {
        staleSince.put(node, since);
    }

    synchronized void heal() {
        staleSince.clear();
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
