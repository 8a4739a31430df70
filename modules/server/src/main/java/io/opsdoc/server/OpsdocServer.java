package io.opsdoc.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.Secret;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.core.Json;
import io.opsdoc.server.alerts.AlertService;
import io.opsdoc.server.alerts.AlertVerdict;
import io.opsdoc.server.alerts.AlertmanagerWebhook;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code opsdoc serve}: {@code GET /probe?check=&target=} (blackbox_exporter style), {@code POST /alerts} (the
 * Alertmanager webhook, answered with live verdicts), {@code GET /metrics} (opsdoc's own),
 * {@code GET /healthz}, {@code GET /notes/...} (runbook pages). Binds loopback unless told otherwise; with a token,
 * everything but /healthz and /notes/ needs {@code Authorization: Bearer <token>}.
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
    private final AlertService alerts;
    private final RateLimiter limiter;
    private final long maxBody;
    /** /alerts waits up to --alert-wait on an HTTP thread: a quarter of them at most, so webhooks cannot starve /healthz. */
    private final java.util.concurrent.Semaphore alertSlots;
    private static final int IDLE_THREAD_MS = 2_000;
    /**
     * Probe answers are rendered here, not on the HTTP threads: probes queued together expire together, and a burst
     * of hundreds of expositions in Jetty's FIFO job queue delayed /healthz by up to a second in bench/serve-load.sh.
     */
    private final java.util.concurrent.ThreadPoolExecutor answers = answerPool();
    /** Scrapers that hang up while their probe waits, noticed from the kernel's connection table (Jetty sees it late). */
    private final HungUpScrapers hangUps = new HungUpScrapers(250);

    private static java.util.concurrent.ThreadPoolExecutor answerPool() {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor e = new java.util.concurrent.ThreadPoolExecutor(2, 2, IDLE_THREAD_MS,
                java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "opsdoc-answer-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /**
     * @param maxBodyBytes largest request body accepted (413 above); Alertmanager's payloads are a few KiB per alert
     * @param rateLimit    requests per second per client address, 0 for no limit (429 above)
     * @param tls          serve HTTPS from this PKCS#12 or JKS key store instead of HTTP
     */
    /**
     * @param probeLimits  how many probes run and wait at once ({@link ProbeService.Limits})
     * @param allowTargets which URI targets /probe may connect to; {@link TargetAllowList#none()}: config names only
     */
    public record Settings(String host, int port, Optional<Secret> token, int maxThreads, long maxBodyBytes, double rateLimit,
            Optional<Tls> tls, AlertService.Settings alerts, ProbeService.Limits probeLimits, TargetAllowList allowTargets) {
        public Settings(String host, int port, Optional<Secret> token, int maxThreads, long maxBodyBytes, double rateLimit,
                Optional<Tls> tls, AlertService.Settings alerts) {
            this(host, port, token, maxThreads, maxBodyBytes, rateLimit, tls, alerts, ProbeService.Limits.defaults(), TargetAllowList.none());
        }

        public Settings(String host, int port, Optional<Secret> token, int maxThreads) {
            this(host, port, token, maxThreads, DEFAULT_MAX_BODY, 0, Optional.empty(), AlertService.Settings.defaults());
        }

        public Settings withProbes(ProbeService.Limits limits, TargetAllowList allow) {
            return new Settings(host, port, token, maxThreads, maxBodyBytes, rateLimit, tls, alerts, limits, allow);
        }
    }

    /** A key store holding the server's certificate and key. */
    public record Tls(java.nio.file.Path keyStore, Secret password) {
    }

    public static final long DEFAULT_MAX_BODY = 1024 * 1024;

    public OpsdocServer(Settings settings, OpsdocConfig config, CheckRegistry registry, NoteCatalog notes, Map<String, String> env) {
        this.token = settings.token();
        this.probes = new ProbeService(config, registry, env, own, settings.probeLimits(), settings.allowTargets());
        this.pages = new NotePages(notes);
        this.alerts = new AlertService(settings.alerts(), config, registry, probes, notes, env, own, Clock.systemUTC());
        this.limiter = new RateLimiter(settings.rateLimit());
        this.maxBody = settings.maxBodyBytes();
        // These threads only parse requests and write answers (probes run on ProbeService's own threads), so they are
        // never all blocked by a hung target. Threads grown by a burst go after a few idle seconds, all at once.
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, settings.maxThreads()), 4);
        threads.setName("opsdoc-serve");
        threads.setDaemon(true);
        threads.setIdleTimeout(IDLE_THREAD_MS);
        threads.setMaxEvictCount(Math.max(8, settings.maxThreads()));
        this.alertSlots = new java.util.concurrent.Semaphore(Math.max(1, settings.maxThreads() / 4));
        jetty = new Server(threads);
        ServerConnector http;
        if (settings.tls().isPresent()) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(settings.tls().get().keyStore().toAbsolutePath().toString());
            ssl.setKeyStorePassword(settings.tls().get().password().reveal());
            HttpConfiguration https = new HttpConfiguration();
            https.addCustomizer(new SecureRequestCustomizer(false));
            http = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        } else {
            http = new ServerConnector(jetty);
        }
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
        try {
            jetty.stop();
        } finally {
            alerts.close();
            probes.close();
            answers.shutdownNow();
            hangUps.close();
        }
    }

    /** The listening connectors, for tests that look for leaked connections. */
    public org.eclipse.jetty.server.Connector[] connectors() {
        return jetty.getConnectors();
    }

    /** The probe runner, for tests that look at kept clients. */
    public ProbeService probes() {
        return probes;
    }

    /** The alert receiver, for tests that wait on asynchronous verdicts. */
    public AlertService alerts() {
        return alerts;
    }

    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String route = path.startsWith("/notes") ? "/notes" : path;
            int status = HttpStatus.OK_200;
            try {
                boolean post = HttpMethod.POST.is(request.getMethod());
                if (!post && !HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())
                        || post != path.equals("/alerts")) {
                    status = HttpStatus.METHOD_NOT_ALLOWED_405;
                    response.getHeaders().put(HttpHeader.ALLOW, path.equals("/alerts") ? "POST" : "GET, HEAD");
                    send(response, callback, status, "text/plain", path.equals("/alerts") ? "POST the Alertmanager webhook here\n"
                            : "only GET and HEAD are served here\n");
                } else if (path.equals("/healthz")) {
                    send(response, callback, status, "text/plain", "ok\n");
                } else if (!path.startsWith("/notes") && !authorized(request)) {
                    // /notes/ stays open like /healthz: runbook_url links are followed by people in a browser, and the
                    // pages are the notes shipped in the jar, with nothing about any target.
                    status = HttpStatus.UNAUTHORIZED_401;
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
                    send(response, callback, status, "text/plain", "a bearer token is required\n");
                } else if (!limiter.allow(Request.getRemoteAddr(request))) {
                    status = HttpStatus.TOO_MANY_REQUESTS_429;
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                    send(response, callback, status, "text/plain", "too many requests from this address; slow down\n");
                } else if (path.equals("/alerts") && !alertSlots.tryAcquire()) {
                    status = HttpStatus.SERVICE_UNAVAILABLE_503;
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
                    send(response, callback, status, "application/json", error("too many webhook calls at once; Alertmanager retries"));
                } else if (path.equals("/alerts")) {
                    try {
                        byte[] body = body(request);
                        if (body == null) {
                            status = HttpStatus.PAYLOAD_TOO_LARGE_413;
                            send(response, callback, status, "application/json", error("the body is larger than " + maxBody + " bytes"));
                        } else {
                            List<AlertVerdict> verdicts = alerts.receive(AlertmanagerWebhook.parse(body));
                            send(response, callback, status, "application/json", Json.mapper().writeValueAsString(
                                    Map.of("version", "opsdoc.alerts/v1", "results", verdicts)));
                        }
                    } finally {
                        alertSlots.release();
                    }
                } else if (path.equals("/probe")) {
                    probe(request, response, callback);
                    return true; // answered, and counted, when the probe ends: no thread waits for it
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
                    send(response, callback, status, "text/plain", "not found; try /probe, /alerts, /metrics, /healthz or /notes/\n");
                }
            } catch (ProbeService.TargetNotAllowed e) {
                status = HttpStatus.FORBIDDEN_403;
                send(response, callback, status, "text/plain", e.getMessage() + "\n");
            } catch (UsageException e) {
                status = HttpStatus.BAD_REQUEST_400;
                if (path.equals("/alerts")) {
                    send(response, callback, status, "application/json", error(e.getMessage()));
                } else {
                    send(response, callback, status, "text/plain", e.getMessage() + "\n");
                }
            } catch (IOException e) {
                status = HttpStatus.BAD_REQUEST_400;
                send(response, callback, status, "text/plain", "cannot read the request: " + FailureClassifier.oneLine(e) + "\n");
            } catch (RuntimeException e) {
                status = HttpStatus.INTERNAL_SERVER_ERROR_500;
                send(response, callback, status, "text/plain", "internal error: " + FailureClassifier.oneLine(e) + "\n");
            }
            count(route, status);
            return true;
        }

        private void count(String route, int status) {
            Counter.builder("opsdoc.http.requests").description("requests served, by route and status")
                    .tag("route", route.length() > 20 ? "other" : route).tag("status", Integer.toString(status)).register(own).increment();
        }

        /**
         * Admits the probe and returns; the answer is written when it ends (by its deadline), rendered on the answer
         * threads so neither the deadline timer nor the HTTP threads format expositions. A scraper that Jetty sees
         * leave withdraws its probe from the queue, or interrupts it.
         */
        private void probe(Request request, Response response, Callback callback) {
            Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            ProbeService.Pending p = probes.submit(new ProbeService.Request(q.getValue("check"), q.getValue("target"), scrapeTimeout(request)),
                    request.getBeginNanoTime());
            java.util.concurrent.atomic.AtomicReference<Throwable> gone = new java.util.concurrent.atomic.AtomicReference<>();
            request.addFailureListener(x -> {
                gone.compareAndSet(null, x);
                p.cancel("the scraper disconnected");
            });
            Runnable unwatch = hangUps.watch(request.getConnectionMetaData().getLocalSocketAddress(),
                    request.getConnectionMetaData().getRemoteSocketAddress(), () -> {
                        gone.compareAndSet(null, new org.eclipse.jetty.io.EofException("the scraper hung up"));
                        p.cancel("the scraper disconnected");
                    });
            p.outcome().whenComplete((o, x) -> unwatch.run());
            p.outcome().whenCompleteAsync((o, x) -> {
                if (o == null) {
                    // Jetty's own failure: the request is over already, and failing with it again logs nothing
                    callback.failed(gone.get() != null ? gone.get() : x);
                    return;
                }
                try {
                    send(response, callback, HttpStatus.OK_200, "text/plain; version=0.0.4; charset=utf-8", io.opsdoc.core.report.PrometheusExposition.probe(o.report(), o.rejected()));
                    count("/probe", HttpStatus.OK_200);
                } catch (RuntimeException e) {
                    callback.failed(e);
                }
            }, answers);
        }

        /** The body, or null when it is larger than allowed; the limit holds whether or not Content-Length was sent. */
        private byte[] body(Request request) throws IOException {
            long declared = request.getLength();
            try (InputStream in = Content.Source.asInputStream(request)) {
                if (declared > maxBody) {
                    drain(in, declared);
                    return null;
                }
                byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
                if (b.length > maxBody) {
                    drain(in, -1);
                    return null;
                }
                return b;
            }
        }

        /**
         * Reads and drops what the client is still sending, up to four times the limit, so that the 413 reaches it:
         * closing a connection with unread bytes makes the kernel send a reset, and the client loses the answer (a
         * clean-clone run saw "header parser received no bytes"). A bigger body is cut off unread.
         */
        private void drain(InputStream in, long declared) throws IOException {
            long bound = Math.min(4 * maxBody, 16L << 20);
            if (declared > bound) {
                return;
            }
            long left = bound;
            byte[] sink = new byte[8192];
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0; ) {
                left -= n;
            }
        }

        private String error(String message) {
            try {
                return Json.mapper().writeValueAsString(Map.of("error", message));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
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
