package io.opsdoc.checks.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.HttpGetFailures;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The I/O half of prometheus-targets: four read-only GETs ({@code /-/ready}, {@code /api/v1/targets?state=active},
 * {@code /api/v1/rules}, {@code /api/v1/alerts}), one after the other, each bounded by what is left of the deadline.
 * JSON over the JDK client: the API is four documented endpoints, not worth a client library.
 *
 * <p>Target: {@code prometheus://host:9090[/route-prefix][?tls=true]}. Plain HTTP by default (Prometheus' default);
 * {@code tls=true} for a server behind {@code --web.config.file} TLS or a TLS-terminating proxy. A user in the URI
 * and a password (the secret sources) make it HTTP basic auth, as {@code web.config.file} basic_auth_users expects.
 */
final class PrometheusApi {
    private static final HttpClient CLIENT = HttpClient.newBuilder().executor(executor())
            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String USER_AGENT = "opsdoc/" + OpsdocVersion.get() + " (prometheus)";

    private PrometheusApi() {
    }

    /** A few daemon threads that go away when idle: the client's default pool is unbounded (see HttpProbe). */
    private static ThreadPoolExecutor executor() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor e = new ThreadPoolExecutor(2, 2, 3, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "opsdoc-prometheus-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    static URI base(Target target) {
        if (target.hosts().size() != 1) {
            throw new UsageException("a prometheus:// target names one server, e.g. prometheus://prom.example:9090, not "
                    + target.display());
        }
        String tls = target.query().getOrDefault("tls", "false");
        if (!tls.equals("true") && !tls.equals("false")) {
            throw new UsageException("target " + target.display() + ": tls must be true or false, not '" + tls + "'");
        }
        String path = target.path().endsWith("/") ? target.path().substring(0, target.path().length() - 1) : target.path();
        try {
            return new URI((tls.equals("true") ? "https" : "http") + "://" + target.host().host() + ":"
                    + target.host().portOr(9090) + path);
        } catch (java.net.URISyntaxException e) {
            throw new UsageException("target " + target.display() + " is not a valid address: " + e.getReason());
        }
    }

    static PrometheusFacts collect(CheckContext context) throws ProbeException, InterruptedException {
        URI base = base(context.target());
        String where = base.getHost() + ":" + base.getPort();
        HttpResponse<String> ready = get(context, base, "/-/ready", where);
        String readyBody = firstLine(ready.body());
        if (ready.statusCode() == 401 || ready.statusCode() == 403) {
            throw denied(ready.statusCode(), where, context);
        }
        if (ready.statusCode() != 200) {
            // not ready: the API answers 503 as well while the TSDB opens, nothing more to read
            return new PrometheusFacts(base.toString(), ready.statusCode(), readyBody, List.of(), List.of(), List.of());
        }
        JsonNode targets = api(context, base, "/api/v1/targets?state=active", where);
        JsonNode rules = api(context, base, "/api/v1/rules", where);
        JsonNode alerts = api(context, base, "/api/v1/alerts", where);
        return new PrometheusFacts(base.toString(), 200, readyBody, targets(targets), rules(rules), alerts(alerts));
    }

    private static List<PrometheusFacts.ScrapeTarget> targets(JsonNode data) {
        List<PrometheusFacts.ScrapeTarget> out = new ArrayList<>();
        for (JsonNode t : data.path("activeTargets")) {
            JsonNode labels = t.path("labels");
            out.add(new PrometheusFacts.ScrapeTarget(text(labels, "job"), text(t, "scrapePool"), text(labels, "instance"),
                    text(t, "scrapeUrl"), text(t, "health"), text(t, "lastError")));
        }
        return out;
    }

    private static List<PrometheusFacts.Rule> rules(JsonNode data) {
        List<PrometheusFacts.Rule> out = new ArrayList<>();
        for (JsonNode g : data.path("groups")) {
            for (JsonNode r : g.path("rules")) {
                out.add(new PrometheusFacts.Rule(text(g, "name"), text(g, "file"), text(r, "name"), text(r, "type"),
                        text(r, "health"), text(r, "lastError"), text(r, "query")));
            }
        }
        return out;
    }

    private static List<PrometheusFacts.Alert> alerts(JsonNode data) {
        List<PrometheusFacts.Alert> out = new ArrayList<>();
        for (JsonNode a : data.path("alerts")) {
            String runbook = text(a.path("annotations"), "runbook_url");
            out.add(new PrometheusFacts.Alert(text(a.path("labels"), "alertname"), text(a, "state"),
                    text(a.path("labels"), "severity"), runbook == null || runbook.isBlank() ? null : runbook,
                    text(a, "activeAt")));
        }
        return out;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A v1 API call: 200 with {@code status: success}, else PROTOCOL_ERROR naming what came back. */
    static JsonNode api(CheckContext context, URI base, String path, String where)
            throws ProbeException, InterruptedException {
        HttpResponse<String> r = get(context, base, path, where);
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw denied(r.statusCode(), where, context);
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(r.body());
        } catch (IOException e) {
            body = null;
        }
        if (r.statusCode() != 200 || body == null || !"success".equals(text(body, "status"))) {
            String error = body == null ? firstLine(r.body()) : text(body, "error");
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET " + path + " on " + where + " answered "
                    + r.statusCode() + (error == null ? "" : " (" + error + ")")
                    + ", not a Prometheus v1 API success: is this a Prometheus server (and the route prefix right)?");
        }
        return body.path("data");
    }

    private static ProbeException denied(int status, String where, CheckContext context) {
        boolean sent = context.target().user().isPresent() && context.password().isPresent();
        return new ProbeException(status == 401 ? ProbeErrors.AUTH_FAILED : ProbeErrors.PERMISSION_DENIED,
                where + " answered HTTP " + status + (sent ? " to the basic-auth credentials of user '"
                        + context.target().user().get() + "'" : " and no credentials were sent (put the user in the "
                        + "target, prometheus://USER@host:9090, and the password in a secret source)"));
    }

    private static HttpResponse<String> get(CheckContext context, URI base, String path, String where)
            throws ProbeException, InterruptedException {
        Duration remaining = context.remaining();
        if (remaining.isNegative() || remaining.isZero()) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "the deadline passed before GET " + path + " on " + where);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET().timeout(remaining)
                .header("User-Agent", USER_AGENT).header("Accept", "application/json");
        if (context.target().user().isPresent() && context.password().isPresent()) {
            String pair = context.target().user().get() + ":" + context.password().get().reveal();
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        var future = CLIENT.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return future.get(remaining.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ProbeException(ProbeErrors.TIMEOUT, "GET " + path + " on " + where + ": no complete answer within "
                    + Runner.human(remaining));
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw HttpGetFailures.translate(e.getCause(), "GET " + path + " on " + where, where, base.getHost(), remaining, "");
        }
    }

    private static String firstLine(String body) {
        if (body == null) {
            return "";
        }
        String s = body.strip();
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
