package io.opsdoc.lab.edge;

import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;

/**
 * The edge: Debian nginx and HAProxy in front of the same backends ({@link EdgeBackends}), started in parallel on
 * random loopback ports. nginx proxies /app/ (one server), /pool/ (two), /hung/ (never answers, 1 s read timeout),
 * /closer/ (hangs up) and /slow/ (held until released) with {@code worker_connections 32}; HAProxy has be_web (two
 * servers, HTTP checks every 500 ms, fall 2), be_solo (one), be_queue (one server with maxconn 1, maxqueue 4) and a
 * frontend limited to 10 connections, plus its stats page and an admin socket.
 */
public final class EdgeLab implements Lab {
    /** nginx's worker_connections here (one worker): small, so that the lab can exhaust it. */
    public static final int WORKER_CONNECTIONS = 32;
    /** fe_limited's maxconn. */
    public static final int FRONTEND_MAXCONN = 10;
    private static EdgeLab shared;

    private final Path dir;
    private final EdgeBackends backends;
    private final int nginxPort;
    private final int haFrontend;
    private final int haLimited;
    private final int haQueue;
    private final int haStats;
    private final String nginxHttp;
    private LabNginx nginx;
    private final LabHaproxy haproxy;
    private final List<Socket> held = new ArrayList<>();
    private final List<CompletableFuture<?>> requests = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean nginxDirty;

    private EdgeLab() {
        dir = LabFiles.tempDir("opsdoc-edge-lab");
        backends = new EdgeBackends();
        int[] ports = Ports.freePorts(5);
        nginxPort = ports[0];
        haFrontend = ports[1];
        haLimited = ports[2];
        haQueue = ports[3];
        haStats = ports[4];
        String a = "127.0.0.1:" + backends.appA.port();
        String b = "127.0.0.1:" + backends.appB.port();
        // conf.d style: the upstreams in their own files, included by nginx.conf with relative paths
        Path prefix = dir.resolve("nginx");
        try {
            Files.createDirectories(prefix);
            Files.writeString(prefix.resolve("upstreams.conf"), "upstream app { server " + a + "; }\n"
                    + "upstream pool { server " + a + " max_fails=1 fail_timeout=30s; server " + b + " max_fails=1 fail_timeout=30s; }\n"
                    + "upstream hung { server 127.0.0.1:" + backends.silent.port() + "; }\n"
                    + "upstream closer { server 127.0.0.1:" + backends.closer.port() + "; }\n"
                    + "upstream slow { server 127.0.0.1:" + backends.slow.port() + "; }\n");
            Files.writeString(prefix.resolve("nocheck.conf"), "upstream nocheck {\n    server " + b + " max_fails=0;\n}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nginxHttp = "  include upstreams.conf;\n  include nocheck.conf;\n"
                + "  limit_conn_zone $binary_remote_addr zone=perip:1m;\n"
                + "  server {\n    listen 127.0.0.1:" + nginxPort + ";\n"
                + "    proxy_connect_timeout 1s; proxy_read_timeout 1s; proxy_http_version 1.1;\n"
                + "    location = /nginx_status { stub_status; }\n"
                + "    location /app/ { proxy_pass http://app; }\n"
                + "    location /pool/ { proxy_pass http://pool; }\n"
                + "    location /hung/ { proxy_pass http://hung; }\n"
                + "    location /closer/ { proxy_pass http://closer; }\n"
                + "    location /slow/ { proxy_pass http://slow; proxy_read_timeout 60s; }\n"
                + "    location /nocheck/ { proxy_pass http://nocheck; }\n"
                + "    location /limited/ { limit_conn perip 1; proxy_pass http://slow; proxy_read_timeout 60s; }\n"
                + "  }\n";
        String haConfig = "global\n  stats socket {dir}/admin.sock mode 600 level admin\n  pidfile {dir}/haproxy.pid\n"
                + "defaults\n  mode http\n  timeout connect 1s\n  timeout client 30s\n  timeout server 30s\n  timeout queue 30s\n"
                + "frontend fe_web\n  bind 127.0.0.1:" + haFrontend + "\n  default_backend be_web\n"
                + "frontend fe_limited\n  bind 127.0.0.1:" + haLimited + "\n  maxconn " + FRONTEND_MAXCONN + "\n  default_backend be_web\n"
                + "frontend fe_queue\n  bind 127.0.0.1:" + haQueue + "\n  default_backend be_queue\n"
                + "backend be_web\n  option httpchk GET /\n"
                + "  server web1 " + a + " check inter 500 fall 2 rise 1\n"
                + "  server web2 " + b + " check inter 500 fall 2 rise 1\n"
                + "backend be_solo\n  option httpchk GET /\n  server solo1 " + a + " check inter 500 fall 2 rise 1\n"
                + "backend be_queue\n  server slow1 127.0.0.1:" + backends.slow.port() + " check inter 500 maxconn 1 maxqueue 4\n"
                + "listen stats\n  bind 127.0.0.1:" + haStats + "\n  stats enable\n  stats uri /stats\n";
        // both servers start at once: nginx in ~0.1 s, HAProxy once its first health checks pass
        CompletableFuture<LabNginx> n = CompletableFuture.supplyAsync(this::startNginx);
        try {
            haproxy = LabHaproxy.start(dir.resolve("haproxy"), haConfig, haStats);
        } catch (RuntimeException e) {
            n.thenAccept(LabNginx::close);
            backends.close();
            throw e;
        }
        try {
            nginx = n.join();
        } catch (RuntimeException e) {
            haproxy.close();
            backends.close();
            throw e;
        }
    }

    private LabNginx startNginx() {
        return LabNginx.start(dir.resolve("nginx"), "worker_connections " + WORKER_CONNECTIONS + ";", nginxHttp, List.of(nginxPort));
    }

    /** Null when nginx and HAProxy are installed, else which Debian package is missing. */
    public static String unavailable() {
        if (LabNginx.binary().isEmpty()) {
            return ExternalBinary.missing(LabNginx.PACKAGE, "nginx");
        }
        return LabHaproxy.binary().isPresent() ? null : ExternalBinary.missing(LabHaproxy.PACKAGE, "haproxy");
    }

    public static EdgeLab start() {
        return new EdgeLab();
    }

    public static synchronized EdgeLab shared() {
        if (shared == null || shared.closed.get()) {
            EdgeLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-edge-lab-shutdown"));
            shared = lab;
        }
        return shared;
    }

    // --- targets

    public String nginxTarget() {
        return "nginx://127.0.0.1:" + nginxPort + "/nginx_status";
    }

    public String haproxyTarget() {
        return "haproxy://127.0.0.1:" + haStats + "/stats";
    }

    /** The included file with every upstream but nocheck (all healthy until a fault). */
    public String nginxUpstreamsConfig() {
        return dir.resolve("nginx/upstreams.conf").toString();
    }

    /** nginx.conf itself: with its includes, also the max_fails=0 upstream of nocheck.conf. */
    public String nginxMainConfig() {
        return nginx.configFile().toString();
    }

    /** A URL through nginx, for http-status: {@code /app/}, {@code /hung/}, {@code /limited/} ... */
    public String nginxUrl(String path) {
        return "http://127.0.0.1:" + nginxPort + path;
    }

    /** One request held on /limited/ (limit_conn perip 1): the next one from this address gets 503. */
    public void occupyNginxLimit() {
        requests.add(client.sendAsync(HttpRequest.newBuilder(URI.create(nginxUrl("/limited/held")))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding()));
        Awaitility.await("the held request reached the slow upstream").atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).pollInSameThread()
                .until(() -> backends.slow.inFlight() >= 1);
    }

    public String nginxErrorLog() {
        return nginx.errorLog().toString();
    }

    public String appAAddress() {
        return "127.0.0.1:" + backends.appA.port();
    }

    // --- nginx faults

    /** The application behind /app/ (and first of /pool/, web1, solo1) is stopped. */
    public synchronized void stopAppA() {
        backends.appA.stop();
    }

    /** appA stopped and requests sent to /app/: nginx answers 502 and logs connect() failed (111). */
    public void refusedUpstream() throws Exception {
        stopAppA();
        requestUntilLogged("/app/", "connect() failed (111");
    }

    /** Requests to /hung/: after proxy_read_timeout (1 s) nginx answers 504 and logs upstream timed out (110). */
    public void timedOutUpstream() throws Exception {
        requestUntilLogged("/hung/", "upstream timed out (110");
    }

    /** Both servers of /pool/ stopped: after each fails once, nginx logs no live upstreams. */
    public void noLiveUpstreams() throws Exception {
        backends.appA.stop();
        backends.appB.stop();
        requestUntilLogged("/pool/", "no live upstreams");
    }

    /** The upstream behind /closer/ hangs up after reading the request: upstream prematurely closed. */
    public void upstreamClosesEarly() throws Exception {
        requestUntilLogged("/closer/", "upstream prematurely closed");
    }

    private void requestUntilLogged(String path, String line) {
        nginxDirty = true;
        Awaitility.await("nginx error log: " + line).atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200)).pollInSameThread().until(() -> {
                    get(nginxPort, path, Duration.ofSeconds(5));
                    return Files.readString(nginx.errorLog()).contains(line);
                });
    }

    /** {@code count} idle client connections held open on nginx (each takes one of its worker_connections). */
    public void holdNginxConnections(int count) {
        holdConnections(nginxPort, count);
        Awaitility.await("nginx shows the held connections").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100)).pollInSameThread()
                .until(() -> active() > count);
    }

    /**
     * Clients that send half a request header and wait (slowloris): each holds one of the 32 worker_connections in a
     * state nginx cannot reclaim (an idle keep-alive connection it would close to make room). Once none is left,
     * nginx closes every new connection right after accept ({@code worker_connections are not enough}), so accepts
     * exceed handled. Then the half requests are dropped so that the status page can be read again.
     */
    public void exhaustWorkerConnections() {
        nginxDirty = true;
        Awaitility.await("nginx: worker_connections are not enough").atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100)).pollInSameThread().until(() -> {
                    for (int i = 0; i < 8 && held.size() < 4 * WORKER_CONNECTIONS; i++) {
                        holdHalfRequest();
                    }
                    return Files.readAllLines(nginx.errorLog()).stream().anyMatch(l -> l.endsWith("are not enough"));
                });
        closeHeld();
        Awaitility.await("stub_status shows accepts > handled").atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200)).pollInSameThread().until(() -> {
                    String[] n = stubStatus().split("\n");
                    if (n.length < 3) {
                        return false;
                    }
                    String[] c = n[2].trim().split("\\s+");
                    return Long.parseLong(c[0]) > Long.parseLong(c[1]);
                });
    }

    private synchronized void holdHalfRequest() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", nginxPort), 2000);
        held.add(s);
        try {
            s.getOutputStream().write("GET /app/ HTTP/1.1\r\nHost: lab\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // nginx already closed it: that is the drop this fault is after
        }
    }

    private long active() {
        String s = stubStatus();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Active connections: (\\d+)").matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private String stubStatus() {
        try {
            return get(nginxPort, "/nginx_status", Duration.ofSeconds(2));
        } catch (Exception e) {
            return "";
        }
    }

    // --- HAProxy faults

    /** appA stopped: web1 (be_web) and solo1 (be_solo, its only server) go DOWN with L4CON. */
    public void haproxyServerDown() {
        stopAppA();
        haproxy.awaitStatus("be_web/web1", "DOWN", Duration.ofSeconds(15));
        haproxy.awaitStatus("be_solo/BACKEND", "DOWN", Duration.ofSeconds(15));
    }

    /** web2 put in maintenance through the admin socket, as an operator draining it would. */
    public void haproxyServerMaint() {
        haproxy.admin("disable server be_web/web2");
        haproxy.awaitStatus("be_web/web2", "MAINT", Duration.ofSeconds(10));
    }

    /** Four requests to be_queue, whose only server takes one at a time and holds it: three wait in the queue. */
    public void haproxyQueue() {
        for (int i = 0; i < 4; i++) {
            requests.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + haQueue + "/q"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding()));
        }
        Awaitility.await("be_queue has 3 queued").atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100)).pollInSameThread().until(() -> {
                    String q = haproxy.field("be_queue/BACKEND", "qcur");
                    String s = haproxy.field("be_queue/slow1", "qcur");
                    long total = (q == null || q.isEmpty() ? 0 : Long.parseLong(q)) + (s == null || s.isEmpty() ? 0 : Long.parseLong(s));
                    return total >= 3;
                });
    }

    /** {@code count} idle connections on fe_limited (maxconn 10). */
    public void haproxyFrontendNearLimit(int count) {
        holdConnections(haLimited, count);
        Awaitility.await("fe_limited sessions").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100)).pollInSameThread()
                .until(() -> String.valueOf(count).equals(haproxy.field("fe_limited/FRONTEND", "scur")));
    }

    private synchronized void holdConnections(int port, int count) {
        try {
            for (int i = 0; i < count; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                held.add(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String get(int port, String path, Duration timeout) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private synchronized void closeHeld() {
        for (Socket s : held) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed by the server
            }
        }
        held.clear();
    }

    @Override
    public synchronized void heal() {
        closeHeld();
        backends.slow.open();
        requests.forEach(r -> r.cancel(true));
        requests.clear();
        backends.appA.startAgain();
        backends.appB.startAgain();
        backends.silent.closeAcceptedConnections();
        if (haproxy.field("be_web/web2", "status") != null && haproxy.field("be_web/web2", "status").startsWith("MAINT")) {
            haproxy.admin("enable server be_web/web2");
        }
        if (nginxDirty) {
            // counters (accepts, handled) and failed-peer marks live in the running nginx: a fresh one forgets them
            nginx.close();
            try {
                Files.deleteIfExists(nginx.errorLog());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            nginx = startNginx();
            nginxDirty = false;
        } else {
            // a scenario without a fault (a hung upstream is a URL) still leaves lines: nginx appends (O_APPEND),
            // so truncating the file under it is safe
            try {
                Files.write(nginx.errorLog(), new byte[0]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Awaitility.await("slow upstream idle").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).pollInSameThread().until(() -> backends.slow.inFlight() == 0);
        haproxy.awaitAllUp(Duration.ofSeconds(20));
        backends.slow.hold();
    }

    @Override
    public String where() {
        return "nginx 127.0.0.1:" + nginxPort + " (pid " + nginx.pid() + "), haproxy stats 127.0.0.1:" + haStats + " (pid "
                + haproxy.pid() + "), backends app-a " + backends.appA.port() + ", app-b " + backends.appB.port();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        held.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        });
        requests.forEach(r -> r.cancel(true));
        if (nginx != null) {
            nginx.close();
        }
        haproxy.close();
        backends.close();
        LabFiles.deleteRecursively(dir);
    }
}
