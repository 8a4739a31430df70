package io.opsdoc.lab.alerting;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The far end of a forward: a local HTTP endpoint that records every request (path with query, body) so a test can
 * see exactly what a chat robot or webhook would have received.
 */
public final class CapturingReceiver implements AutoCloseable {
    public record Delivery(String path, String query, String body) {
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private CapturingReceiver(HttpServer server) {
        this.server = server;
    }

    public static CapturingReceiver start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            CapturingReceiver r = new CapturingReceiver(s);
            s.createContext("/", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                r.deliveries.add(new Delivery(ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(), new String(body, StandardCharsets.UTF_8)));
                byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, ok.length);
                ex.getResponseBody().write(ok);
                ex.close();
            });
            s.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the capturing receiver", e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Waits until a delivery matches, or fails after {@code timeout} with every delivery received. */
    public Delivery await(Predicate<Delivery> match, Duration timeout) throws InterruptedException {
        AtomicReference<Delivery> found = new AtomicReference<>();
        try {
            Awaitility.await("a matching delivery").atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).pollInSameThread().until(() -> {
                        deliveries.stream().filter(match).findFirst().ifPresent(found::set);
                        return found.get() != null;
                    });
            return found.get();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no matching delivery within " + timeout + "; got " + deliveries);
        }
    }

    public void clear() {
        deliveries.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
