package io.opsdoc.lab.http;

import io.opsdoc.lab.Ports;
import io.opsdoc.lab.SilentTcpServer;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Real HTTP servers on 127.0.0.1 for the web checks, three Jetty 12 servers in this JVM:
 *
 * <ul>
 *   <li><b>origin</b>: plain HTTP plus one HTTPS port per {@link LabCertificates.Kind} (valid, self-signed, expired,
 *       expiring, wrong host; certificates made by keytool at start). Paths: {@code /healthz}, {@code /status/NNN}
 *       (any status, {@code ?retry-after=N} adds the header), {@code /slow?ms=N}, {@code /redirect/N} (a chain of N
 *       302s ending in 200), {@code /loop/a} (a &harr; b forever).</li>
 *   <li><b>upstream</b>: the same application on its own port, the one the proxy forwards to; it can be stopped
 *       (connections refused) and started again on the same port.</li>
 *   <li><b>proxy</b>: a reverse proxy (Jetty's {@code ProxyHandler.Reverse}, the same role nginx's
 *       {@code proxy_pass} plays) with a 1 s upstream timeout, so the proxy itself answers 502 when the upstream
 *       refuses and 504 when it is slower than the timeout. In front of it, a health gate answers 503 with
 *       {@code Retry-After} while the upstream is marked down (as HAProxy, Envoy or ingress-nginx do when no
 *       upstream is healthy), and under {@code /limited/} a concurrency limiter (Jetty's {@code QoSHandler}, one
 *       request at a time, none queued) rejects with 503, as nginx {@code limit_conn} does.</li>
 *   <li><b>black hole</b>: a port that accepts connections and never answers ({@link SilentTcpServer}), and a
 *       refused port ({@link Ports#closedPort()}), the two targets a probe must give up on by its own deadline.</li>
 * </ul>
 */
public final class HttpLab implements Lab {
    /** The proxy's timeout for the upstream's response: nginx's {@code proxy_read_timeout}, 60 s there, 1 s here. */
    public static final Duration PROXY_TIMEOUT = Duration.ofSeconds(1);
    private static HttpLab shared;

    private final Path dir;
    private final LabCertificates certificates;
    private final Server origin;
    private final ServerConnector originHttp;
    private final Map<LabCertificates.Kind, ServerConnector> originHttps = new EnumMap<>(LabCertificates.Kind.class);
    private final Server upstream;
    private final ServerConnector upstreamHttp;
    private final Server proxy;
    private final ServerConnector proxyHttp;
    private final SilentTcpServer blackHole;
    private final AtomicBoolean upstreamMarkedDown = new AtomicBoolean();
    /** Bumped by heal(): slow requests still sleeping end at once. */
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger slowInFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HttpClient helper = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpLab() {
        dir = LabFiles.tempDir("opsdoc-http-lab");
        certificates = LabCertificates.generate(dir);
        origin = new Server(threads("origin"));
        originHttp = connector(origin, null, null);
        for (LabCertificates.Kind kind : LabCertificates.Kind.values()) {
            originHttps.put(kind, connector(origin, certificates.keyStore(kind), certificates.password()));
        }
        origin.setHandler(new App());
        upstream = new Server(threads("upstream"));
        upstreamHttp = connector(upstream, null, null);
        upstream.setHandler(new App());
        proxy = new Server(threads("proxy"));
        proxyHttp = connector(proxy, null, null);
        QoSHandler limiter = new QoSHandler(new Reverse());
        limiter.setMaxRequestCount(1);
        limiter.setMaxSuspendedRequestCount(0);
        limiter.includePath("/limited/*");
        proxy.setHandler(new HealthGate(limiter));
        blackHole = SilentTcpServer.start();
    }

    public static HttpLab start() {
        HttpLab lab = new HttpLab();
        try {
            lab.origin.start();
            lab.upstream.start();
            // pin the upstream's port so it comes back on the same one after stopUpstream()
            lab.upstreamHttp.setPort(lab.upstreamHttp.getLocalPort());
            lab.proxy.start();
        } catch (Exception e) {
            lab.close();
            throw new IllegalStateException("cannot start the HTTP lab", e);
        }
        return lab;
    }

    /** One lab for the whole JVM (tests share it; {@link #heal()} between them), closed at exit. */
    public static synchronized HttpLab shared() {
        if (shared == null || shared.closed.get()) {
            HttpLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-http-lab-shutdown"));
            shared = lab;
        }
        return shared;
    }

    /** A URL on the origin's plain HTTP port, e.g. {@code url("/status/500")}. */
    public String url(String path) {
        return "http://127.0.0.1:" + originHttp.getLocalPort() + path;
    }

    /** A URL on the origin's HTTPS port that serves the given certificate. */
    public String httpsUrl(LabCertificates.Kind kind, String path) {
        return "https://127.0.0.1:" + originHttps.get(kind).getLocalPort() + path;
    }

    /** A URL through the reverse proxy to the upstream. */
    public String proxyUrl(String path) {
        return "http://127.0.0.1:" + proxyHttp.getLocalPort() + path;
    }

    /** A URL on the upstream directly. */
    public String upstreamUrl(String path) {
        return "http://127.0.0.1:" + upstreamHttp.getPort() + path;
    }

    /** The lab CA (PEM): trusted with it, every lab certificate except the self-signed one verifies. */
    public Path caFile() {
        return certificates.caFile();
    }

    /** A loopback port where nothing listens: connections are refused. */
    public static String refusedUrl() {
        return "http://127.0.0.1:" + Ports.closedPort() + "/";
    }

    /**
     * A URL on the lab's black hole: the TCP handshake completes, then nothing, not even a TLS handshake, so a
     * probe ends only by its own deadline. {@code scheme} is http or https.
     */
    public String blackHoleUrl(String scheme, String path) {
        return scheme + "://127.0.0.1:" + blackHole.port() + path;
    }

    /** Connections the black hole accepted (and holds open) since the last {@link #heal()}. */
    public int blackHoleConnections() {
        return blackHole.acceptedConnections();
    }

    @Override
    public String where() {
        return "origin " + url("/") + ", proxy " + proxyUrl("/") + ", upstream " + upstreamUrl("/") + ", black hole "
                + blackHoleUrl("http", "/");
    }

    /** The application behind the proxy stops: its port refuses connections, the proxy answers 502. */
    public synchronized void stopUpstream() {
        try {
            upstream.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the lab upstream", e);
        }
    }

    public synchronized void startUpstream() {
        if (upstream.isStarted()) {
            return;
        }
        try {
            upstream.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot restart the lab upstream on port " + upstreamHttp.getPort(), e);
        }
    }

    /** The proxy considers its only upstream unhealthy: it answers 503 with {@code Retry-After: 30}. */
    public void markUpstreamDown() {
        upstreamMarkedDown.set(true);
    }

    /**
     * Takes the limiter's only slot under {@code /limited/} with a slow request that lasts until {@link #heal()}
     * (or 30 s), so the next request there is rejected with 503. Returns once the slot is taken.
     */
    public void occupyLimiter() {
        int before = slowInFlight.get();
        helper.sendAsync(HttpRequest.newBuilder(URI.create(proxyUrl("/limited/slow?ms=30000")))
                .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.discarding());
        try {
            Awaitility.await("the limiter's only slot taken").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(5)).pollInSameThread().until(() -> slowInFlight.get() > before);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the limiter's slot was not taken within 10 s (slow requests in flight: "
                    + slowInFlight.get() + ", before: " + before + ")", e);
        }
    }

    /**
     * Back to healthy: upstream running and not marked down, slow requests released, the black hole's connections
     * closed (a check that timed out on it leaves one behind).
     */
    @Override
    public synchronized void heal() {
        upstreamMarkedDown.set(false);
        generation.incrementAndGet();
        startUpstream();
        blackHole.closeAcceptedConnections();
        try {
            Awaitility.await("slow requests released").atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(5)).pollInSameThread().until(() -> slowInFlight.get() == 0);
        } catch (ConditionTimeoutException e) {
            // best effort, as a released request ends within 10 ms of the generation bump: if the machine is so
            // starved that one did not, the limiter's own healthy scenario is the one to say so, with its report
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        generation.incrementAndGet();
        for (Server s : new Server[] {proxy, upstream, origin}) {
            try {
                s.stop();
            } catch (Exception ignored) {
                // stopping a lab server that failed to start
            }
        }
        blackHole.close();
        LabFiles.deleteRecursively(dir);
    }

    private static QueuedThreadPool threads(String name) {
        QueuedThreadPool pool = new QueuedThreadPool(64, 2);
        pool.setName("opsdoc-lab-http-" + name);
        pool.setDaemon(true);
        return pool;
    }

    private static ServerConnector connector(Server server, java.security.KeyStore keyStore, String password) {
        HttpConfiguration config = new HttpConfiguration();
        ServerConnector c;
        if (keyStore == null) {
            c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        } else {
            // no SNI host check: the wrong-host certificate must be served, so the client can see it is wrong
            config.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(keyStore);
            tls.setKeyStorePassword(password);
            tls.setKeyManagerPassword(password);
            c = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(config));
        }
        c.setHost("127.0.0.1");
        c.setPort(0);
        c.setIdleTimeout(30_000);
        server.addConnector(c);
        return c;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        if (status == 204 || status == 304) {
            callback.succeeded();
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** The application: the same on the origin and on the upstream. */
    private final class App extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (path.startsWith("/limited/")) {
                path = path.substring("/limited".length());
            }
            Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            if (path.equals("/") || path.equals("/healthz")) {
                send(response, callback, 200, "ok\n");
            } else if (path.startsWith("/status/") && path.substring(8).matches("[1-5]\\d\\d")) {
                int status = Integer.parseInt(path.substring(8));
                if (q.getValue("retry-after") != null) {
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, q.getValue("retry-after"));
                }
                send(response, callback, status, "status " + status + "\n");
            } else if (path.equals("/slow")) {
                long ms = q.getValue("ms") == null ? 2000 : Long.parseLong(q.getValue("ms"));
                int gen = generation.get();
                slowInFlight.incrementAndGet();
                try {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
                    while (System.nanoTime() < until && generation.get() == gen) {
                        sleep(Math.min(10, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
                    }
                } finally {
                    slowInFlight.decrementAndGet();
                }
                send(response, callback, 200, "slow " + ms + " ms\n");
            } else if (path.startsWith("/redirect/") && path.substring(10).matches("\\d+")) {
                int n = Integer.parseInt(path.substring(10));
                if (n <= 0) {
                    send(response, callback, 200, "arrived\n");
                } else {
                    response.getHeaders().put(HttpHeader.LOCATION, "/redirect/" + (n - 1));
                    send(response, callback, 302, "see /redirect/" + (n - 1) + "\n");
                }
            } else if (path.equals("/loop/a") || path.equals("/loop/b")) {
                response.getHeaders().put(HttpHeader.LOCATION, path.equals("/loop/a") ? "/loop/b" : "/loop/a");
                send(response, callback, 302, "round and round\n");
            } else {
                send(response, callback, 404, "not found\n");
            }
            return true;
        }
    }

    /** The reverse proxy to the upstream, with an upstream response timeout: Jetty then answers 504 itself. */
    private final class Reverse extends ProxyHandler.Reverse {
        Reverse() {
            super(request -> HttpURI.build(request.getHttpURI()).scheme("http").host("127.0.0.1")
                    .port(upstreamHttp.getPort()));
        }

        @Override
        protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request clientToProxyRequest, HttpURI newHttpURI) {
            return super.newProxyToServerRequest(clientToProxyRequest, newHttpURI)
                    .timeout(PROXY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Answers 503 itself while the upstream is marked down, as a load balancer with no healthy backend does. */
    private final class HealthGate extends Handler.Wrapper {
        HealthGate(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (upstreamMarkedDown.get()) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
                send(response, callback, 503, "no healthy upstream\n");
                return true;
            }
            return super.handle(request, response, callback);
        }
    }
}
