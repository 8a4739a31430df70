package io.opsdoc.checks.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.HttpGetFailures;
import io.opsdoc.core.InputFiles;
import io.opsdoc.core.Json;
import io.opsdoc.core.OpsdocVersion;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The RabbitMQ management HTTP API, read-only: GETs with HTTP basic auth, every one bounded by the check's deadline.
 *
 * <p>{@code rabbitmq://user@host:15672} speaks plain HTTP, {@code rabbitmqs://user@host:15671} HTTPS with the
 * server's certificate verified (chain and host name) against the JVM's CAs or, with {@code ?cacert=FILE}, against
 * those PEM certificates only — the same convention as {@code rediss://}. A scheme rather than {@code ?tls=true}
 * because the default port differs (15671 for TLS, as RabbitMQ's docs use) and the URI then says it at a glance.
 *
 * <p>The JDK {@link HttpClient} is immutable and thread-safe and keeps keep-alive connections per origin, so one is
 * shared per trust configuration: {@code opsdoc serve} probing every 15 s reuses the connection. Its default
 * executor is unbounded; a few daemon threads that die when idle are enough, as in {@code http-status}.
 */
final class ManagementApi {
    static final String SCHEME = "rabbitmq";
    static final String TLS_SCHEME = "rabbitmqs";
    static final String CACERT = "cacert";
    private static final Set<String> OPTIONS = Set.of(CACERT);
    private static final String USER_AGENT = "opsdoc/" + OpsdocVersion.get() + " (rabbitmq)";
    private static final Map<String, HttpClient> CLIENTS = new ConcurrentHashMap<>();
    private static final ExecutorService EXECUTOR = executor();

    /** One answer: the status and the JSON body (the health checks answer 503 with a JSON reason). */
    record Answer(int status, JsonNode body) {
    }

    private final CheckContext context;
    private final URI base;
    private final String authorization;
    private final HttpClient client;

    private ManagementApi(CheckContext context, URI base, String authorization, HttpClient client) {
        this.context = context;
        this.base = base;
        this.authorization = authorization;
        this.client = client;
    }

    static void validate(Target target) {
        target.host();
        if (target.hosts().size() > 1) {
            throw new UsageException("target " + target.display() + " names several hosts; a RabbitMQ check asks one "
                    + "node's management API, which answers for the whole cluster (rabbitmq://USER@host:15672)");
        }
        if (target.user().isEmpty()) {
            throw new UsageException("target " + target.display() + " names no user; the management API needs one "
                    + "with the 'monitoring' tag: rabbitmq://monitor@host:15672 (see opsdoc grants)");
        }
        for (String key : target.query().keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new UsageException("unknown option '" + key + "' for " + target.scheme() + ":// targets; "
                        + "supported: cacert=FILE (rabbitmqs:// only: PEM CA certificates to trust instead of the JVM's)");
            }
        }
        String ca = target.query().get(CACERT);
        if (ca != null) {
            if (!TLS_SCHEME.equals(target.scheme())) {
                throw new UsageException("cacert is for TLS: use rabbitmqs://USER@host:15671?cacert=FILE");
            }
            InputFiles.requireReadable(CACERT, ca);
        }
    }

    static ManagementApi open(CheckContext context) throws ProbeException {
        Target t = context.target();
        boolean tls = TLS_SCHEME.equals(t.scheme());
        String hostPort = new Target.HostPort(t.host().host(), t.host().portOr(tls ? 15671 : 15672)).toString();
        URI base = URI.create((tls ? "https://" : "http://") + hostPort);
        String user = t.user().orElseThrow();
        String password = context.password().map(p -> p.reveal()).orElse("");
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        String ca = t.query().get(CACERT);
        HttpClient client;
        try {
            client = CLIENTS.computeIfAbsent(ca == null ? "" : ca, ManagementApi::client);
        } catch (IllegalStateException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot use the cacert file " + ca + ": "
                    + FailureClassifier.oneLine(e.getCause() == null ? e : e.getCause()));
        }
        return new ManagementApi(context, base, "Basic " + token, client);
    }

    String where() {
        return base.getAuthority();
    }

    /** GET {@code path}; 200 only, anything else is a probe error. */
    JsonNode get(String path) throws ProbeException, InterruptedException {
        Answer a = exchange(path);
        if (a.status() != 200) {
            throw unexpected(path, a);
        }
        return a.body();
    }

    /**
     * GET a health-check endpoint: 200 (passed) and 503 (failed, with the reason in the body) are both answers; 404
     * means a version before 3.8.10, which has no health-check endpoints (the caller falls back on /api/nodes).
     */
    Answer health(String path) throws ProbeException, InterruptedException {
        Answer a = exchange(path);
        if (a.status() != 200 && a.status() != 503 && a.status() != 404) {
            throw unexpected(path, a);
        }
        return a;
    }

    private ProbeException unexpected(String path, Answer a) {
        String reason = a.body() != null && a.body().hasNonNull("reason") ? a.body().get("reason").asText() : "";
        return new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET " + path + " on " + where() + " answered HTTP "
                + a.status() + (reason.isEmpty() ? "" : " (" + oneLine(reason) + ")"));
    }

    private Answer exchange(String path) throws ProbeException, InterruptedException {
        Duration remaining = context.remaining();
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .GET()
                .timeout(remaining)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .build();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = future.get(remaining.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ProbeException(ProbeErrors.TIMEOUT, "GET " + path + " on " + where() + ": no complete answer within "
                    + Runner.human(remaining));
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw HttpGetFailures.translate(e.getCause(), "GET " + path + " on " + where(), where(), base.getHost(), remaining,
                    " (an untrusted certificate: give its CA with ?cacert=FILE)");
        }
        int status = response.statusCode();
        if (status == 401) {
            throw new ProbeException(ProbeErrors.AUTH_FAILED, where() + " refused the login of user '"
                    + context.target().user().orElse("") + "' (HTTP 401): wrong password, unknown user, or a user "
                    + "without a management tag ('monitoring' is the least that can read cluster state)");
        }
        if (status == 403) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "GET " + path + " on " + where() + " answered "
                    + "HTTP 403: user '" + context.target().user().orElse("") + "' needs the 'monitoring' tag (opsdoc grants)");
        }
        JsonNode body = parse(response.body());
        if (body == null && (status == 200 || status == 503)) {
            String type = response.headers().firstValue("content-type").orElse("none");
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET " + path + " on " + where() + " answered HTTP "
                    + status + " with a body that is not JSON (content-type " + type + "): not a RabbitMQ management API");
        }
        return new Answer(status, body);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode n = Json.mapper().readTree(body);
            return n == null || n.isMissingNode() ? null : n;
        } catch (IOException e) {
            return null;
        }
    }

    private static String oneLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl >= 0 ? s.substring(0, nl) : s;
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static HttpClient client(String caFile) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .executor(EXECUTOR)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!caFile.isEmpty()) {
            try {
                b.sslContext(trusting(Path.of(caFile)));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.build();
    }

    private static SSLContext trusting(Path ca) throws IOException, GeneralSecurityException {
        return io.opsdoc.core.PemTrust.trustingOnly(ca);
    }

    private static ExecutorService executor() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor e = new ThreadPoolExecutor(4, 4, 3, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "opsdoc-rabbitmq-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        e.allowCoreThreadTimeOut(true);
        return e;
    }
}
