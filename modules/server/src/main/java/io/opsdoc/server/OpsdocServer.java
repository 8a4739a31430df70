package io.opsdoc.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.Report;
import io.opsdoc.core.Secret;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.notes.NoteCatalog;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code opsdoc serve}: {@code GET /probe?check=&target=} (blackbox_exporter style), {@code GET /metrics} (opsdoc's own),
 * {@code GET /healthz}, {@code GET /notes/...} (runbook pages). Binds loopback unless told otherwise; with a token,
 * everything but /healthz needs {@code Authorization: Bearer <token>}.
 */
public final class OpsdocServer implements AutoCloseable {
    /** Prometheus sends its scrape timeout; answering later than that is answering nobody. */
    static final String SCRAPE_TIMEOUT = "X-Prometheus-Scrape-Timeout-Seconds";
    private static final Duration SCRAPE_MARGIN = Duration.ofMillis(500);

    private final Server jetty;
    private final ProbeService probes;
    private final NotePages pages;
    private final PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Optional<Secret> token;

    public record Settings(String host, int port, Optional<Secret> token, int maxThreads) {
    }

    public OpsdocServer(Settings settings, OpsdocConfig config, CheckRegistry registry, NoteCatalog notes, Map<String, String> env) {
        this.token = settings.token();
        this.probes = new ProbeService(config, registry, env, own);
        this.pages = new NotePages(notes);
        QueuedThreadPool threads = new QueuedThreadPool(settings.maxThreads(), 4);
        threads.setName("opsdoc-serve");
        threads.setDaemon(true);
        jetty = new Server(threads);
        ServerConnector http = new ServerConnector(jetty);
        http.setHost(settings.host());
        http.setPort(settings.port());
        http.setIdleTimeout(30_000);
        jetty.addConnector(http);
        jetty.setHandler(new Routes());
        jetty.setStopTimeout(2_000);
    }

    public void start() throws Exception {
        jetty.start();
    }

    public InetSocketAddress address() {
        ServerConnector c = (ServerConnector) jetty.getConnectors()[0];
        return new InetSocketAddress(c.getHost(), c.getLocalPort());
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String route = path.startsWith("/notes") ? "/notes" : path;
            int status = HttpStatus.OK_200;
            try {
                if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                    status = HttpStatus.METHOD_NOT_ALLOWED_405;
                    send(response, callback, status, "text/plain", "only GET and HEAD are served here\n");
                } else if (path.equals("/healthz")) {
                    send(response, callback, status, "text/plain", "ok\n");
                } else if (!authorized(request)) {
                    status = HttpStatus.UNAUTHORIZED_401;
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
                    send(response, callback, status, "text/plain", "a bearer token is required\n");
                } else if (path.equals("/probe")) {
                    Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
                    Report r = probes.probe(new ProbeService.Request(q.getValue("check"), q.getValue("target"), scrapeTimeout(request)));
                    send(response, callback, status, "text/plain; version=0.0.4; charset=utf-8", ProbeExposition.of(r));
                } else if (path.equals("/metrics")) {
                    send(response, callback, status, "text/plain; version=0.0.4; charset=utf-8", own.scrape());
                } else if (path.equals("/notes") || path.equals("/notes/")) {
                    Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
                    send(response, callback, status, "text/html; charset=utf-8", pages.index(q.getValue("q")));
                } else if (path.startsWith("/notes/")) {
                    Map<String, String> parts = NotePages.splitPath(path);
                    Optional<String> page = parts.get("id").isEmpty() ? Optional.empty() : pages.page(parts.get("lang"), parts.get("id"));
                    if (page.isPresent()) {
                        send(response, callback, status, "text/html; charset=utf-8", page.get());
                    } else {
                        status = HttpStatus.NOT_FOUND_404;
                        send(response, callback, status, "text/plain", "no note " + path.substring("/notes/".length()) + "\n");
                    }
                } else {
                    status = HttpStatus.NOT_FOUND_404;
                    send(response, callback, status, "text/plain", "not found; try /probe, /metrics, /healthz or /notes/\n");
                }
            } catch (UsageException e) {
                status = HttpStatus.BAD_REQUEST_400;
                send(response, callback, status, "text/plain", e.getMessage() + "\n");
            } catch (RuntimeException e) {
                status = HttpStatus.INTERNAL_SERVER_ERROR_500;
                send(response, callback, status, "text/plain", "internal error: " + FailureClassifier.oneLine(e) + "\n");
            }
            Counter.builder("opsdoc.http.requests").description("requests served, by route and status")
                    .tag("route", route.length() > 20 ? "other" : route).tag("status", Integer.toString(status)).register(own).increment();
            return true;
        }

        private boolean authorized(Request request) {
            if (token.isEmpty()) {
                return true;
            }
            String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
            byte[] expected = ("Bearer " + token.get().reveal()).getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(given, expected); // constant time: the token must not leak by timing
        }

        private Duration scrapeTimeout(Request request) {
            String v = request.getHeaders().get(SCRAPE_TIMEOUT);
            if (v == null) {
                return null;
            }
            try {
                Duration d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)).minus(SCRAPE_MARGIN);
                return d.toMillis() < 100 ? Duration.ofMillis(100) : d;
            } catch (NumberFormatException e) {
                throw new UsageException(SCRAPE_TIMEOUT + " must be a number of seconds");
            }
        }

        private void send(Response response, Callback callback, int status, String type, String body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        }
    }
}
