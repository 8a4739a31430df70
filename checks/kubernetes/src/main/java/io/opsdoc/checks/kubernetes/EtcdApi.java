package io.opsdoc.checks.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.Json;
import io.opsdoc.core.OpsdocVersion;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Runner;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The I/O half of k8s-etcd: etcd's v3 JSON gateway (the gRPC-gateway every etcd since 3.4 serves on its client URLs
 * under {@code /v3/}) over the JDK HttpClient. Read-only calls only: {@code Cluster.MemberList},
 * {@code Maintenance.Status} on every member, {@code Maintenance.Alarm} with action GET, and {@code /metrics} for
 * the backend quota. The gateway rather than jetcd: jetcd brings gRPC and Netty into the CLI for five unary calls that
 * the gateway answers as JSON.
 *
 * <p>Target: {@code etcd://host:2379[,host2:2379...]}, or {@code etcds://...?ca-file=CA&cert-file=CERT&key-file=KEY}
 * for client URLs with TLS (kubeadm's etcd: the healthcheck-client certificate): the endpoints are tried in order for
 * the member list; every member is then asked at the client URL it advertises, at once, each within
 * {@code member-timeout}.
 */
final class EtcdApi {
    static final String SCHEME = "etcd";
    static final String TLS_SCHEME = "etcds";
    private static final java.util.Set<String> TLS_OPTIONS = java.util.Set.of("ca-file", "cert-file", "key-file");
    static final int DEFAULT_PORT = 2379;
    /** etcd's default --quota-backend-bytes (2 GiB) when neither the server nor the operator says otherwise. */
    static final long DEFAULT_QUOTA = 2L * 1024 * 1024 * 1024;
    /** More members than this is not an etcd cluster anyone runs; the list is cut so the check stays bounded. */
    private static final int MAX_MEMBERS = 15;
    private static final ThreadPoolExecutor EXECUTOR = executor();
    private static final HttpClient CLIENT = builder().build();
    private static final String USER_AGENT = "opsdoc/" + OpsdocVersion.get() + " (k8s-etcd)";

    private EtcdApi() {
    }

    private static ThreadPoolExecutor executor() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor e = new ThreadPoolExecutor(2, 2, 3, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "opsdoc-etcd-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder().executor(EXECUTOR).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5));
    }

    /** Plain HTTP for etcd://; for etcds:// a client with the target's CA and client certificate. */
    static HttpClient client(Target target) {
        if (!TLS_SCHEME.equals(target.scheme())) {
            return CLIENT;
        }
        Map<String, String> o = target.query();
        return builder().sslContext(EtcdTls.context(o.get("ca-file"), o.get("cert-file"), o.get("key-file"))).build();
    }

    static List<URI> endpoints(Target target) {
        boolean tls = TLS_SCHEME.equals(target.scheme());
        if (!SCHEME.equals(target.scheme()) && !tls) {
            throw new UsageException("k8s-etcd runs on etcd://host:2379[,host2:2379,...] or etcds://host:2379?ca-file="
                    + "CA&cert-file=CERT&key-file=KEY, not " + target.display());
        }
        if (target.hosts().isEmpty()) {
            throw new UsageException("target " + target.display() + " names no etcd endpoint, e.g. etcd://10.0.0.1:2379");
        }
        for (String option : target.query().keySet()) {
            if (!tls || !TLS_OPTIONS.contains(option)) {
                throw new UsageException("target " + target.display() + ": option '" + option + "' is not supported; "
                        + (tls ? "etcds:// takes ca-file, cert-file and key-file" : "etcd:// takes none (use etcds:// "
                                + "with ca-file, cert-file and key-file for TLS)"));
            }
        }
        if (tls && target.query().containsKey("cert-file") != target.query().containsKey("key-file")) {
            throw new UsageException("target " + target.display() + ": give cert-file and key-file together");
        }
        if (target.user().isPresent()) {
            throw new UsageException("target " + target.display() + ": etcd user/password authentication is not "
                    + "supported; k8s-etcd reads only calls that need no role (member list, status, alarms)");
        }
        List<URI> out = new ArrayList<>();
        for (Target.HostPort hp : target.hosts()) {
            out.add(URI.create((tls ? "https://" : "http://") + hp.host() + ":" + hp.portOr(DEFAULT_PORT)));
        }
        return out;
    }

    static EtcdFacts collect(CheckContext context, Duration memberTimeout, long quotaParameter, Duration window)
            throws ProbeException, InterruptedException {
        List<URI> endpoints = endpoints(context.target());
        HttpClient http = client(context.target());
        ProbeException first = null;
        JsonNode list = null;
        URI listedBy = null;
        for (URI e : endpoints) {
            try {
                list = post(http, e, "/v3/cluster/member/list", "{}", context.remaining());
                listedBy = e;
                break;
            } catch (ProbeException p) {
                first = first == null ? p : first;
            }
        }
        if (list == null) {
            throw endpoints.size() == 1 ? first : new ProbeException(first.code(), "no endpoint of "
                    + context.target().display() + " answered the member list; the first said: " + first.getMessage(), first);
        }
        String clusterId = list.path("header").path("cluster_id").asText(null);
        List<JsonNode> members = new ArrayList<>();
        list.path("members").forEach(members::add);
        if (members.isEmpty()) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "POST /v3/cluster/member/list on " + where(listedBy)
                    + " answered without members: is this an etcd v3 server?");
        }
        members = members.subList(0, Math.min(MAX_MEMBERS, members.size()));

        // every member at once, each bounded by the member timeout and by the deadline
        Duration perMember = min(memberTimeout, context.remaining());
        List<CompletableFuture<EtcdFacts.Member>> statuses = new ArrayList<>();
        for (JsonNode m : members) {
            statuses.add(status(http, m, perMember));
        }
        List<EtcdFacts.Member> out = new ArrayList<>();
        for (CompletableFuture<EtcdFacts.Member> f : statuses) {
            try {
                out.add(f.get(perMember.toMillis() + 1_000, TimeUnit.MILLISECONDS));
            } catch (ExecutionException | TimeoutException e) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "reading the members' status failed: "
                        + FailureClassifier.oneLine(e));
            }
        }

        // alarms: etcd 3.4 does not answer the alarm call without a leader, so ask a member that has one
        List<EtcdFacts.Alarm> alarms = null;
        String alarmsError = "no member that answered knows a leader: etcd serves the alarm list only through one";
        for (EtcdFacts.Member m : out) {
            if (m.hasLeader()) {
                URI u = URI.create(m.clientUrls().get(0));
                try {
                    JsonNode a = post(http, u, "/v3/maintenance/alarm", "{\"action\":\"GET\"}", min(memberTimeout,
                            context.remaining()));
                    alarms = new ArrayList<>();
                    for (JsonNode x : a.path("alarms")) {
                        alarms.add(new EtcdFacts.Alarm(x.path("memberID").asText(), x.path("alarm").asText()));
                    }
                    alarmsError = null;
                } catch (ProbeException e) {
                    alarmsError = "the alarm list from " + where(u) + " failed: " + e.getMessage();
                }
                break;
            }
        }

        // /metrics of every member that answered, twice a window apart: leader changes and disk latency histograms
        List<EtcdMetrics> early = scrape(http, out, min(memberTimeout, context.remaining()));
        List<EtcdMetrics> later = List.of();
        long windowMs = 0;
        Duration w = SamplingWindow.fit(window, context.remaining());
        if (!w.isZero() && early.stream().anyMatch(EtcdMetrics::answered)) {
            long t0 = System.nanoTime();
            Thread.sleep(w.toMillis());
            later = scrape(http, out, min(memberTimeout, context.remaining()));
            windowMs = (System.nanoTime() - t0) / 1_000_000;
        }

        long quota = quotaParameter;
        String source = "parameter";
        if (quota <= 0) {
            quota = early.stream().mapToLong(EtcdMetrics::quotaBytes).filter(q -> q > 0).findFirst().orElse(0);
            source = "metrics";
            if (quota <= 0) {
                quota = DEFAULT_QUOTA;
                source = "default";
            }
        }
        return new EtcdFacts(listedBy.toString(), clusterId, out, alarms, alarmsError, quota, source, early, later,
                windowMs);
    }

    /**
     * GET /metrics (served on the client URL unless --listen-metrics-urls moved it) of every member that answered its
     * status, at once, each within the timeout; a member whose /metrics fails has an entry with the error.
     */
    private static List<EtcdMetrics> scrape(HttpClient http, List<EtcdFacts.Member> members, Duration timeout)
            throws InterruptedException {
        List<CompletableFuture<EtcdMetrics>> futures = new ArrayList<>();
        for (EtcdFacts.Member m : members) {
            if (!m.answered() || m.clientUrls().isEmpty()) {
                continue;
            }
            String label = m.name().isEmpty() ? m.id() : m.name();
            URI base = URI.create(m.clientUrls().get(0));
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().timeout(timeout)
                    .header("User-Agent", USER_AGENT).build();
            futures.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((r, t) -> {
                        if (t != null) {
                            return EtcdMetrics.failed(label, failure(t, "/metrics", base, timeout).getMessage());
                        }
                        if (r.statusCode() != 200) {
                            return EtcdMetrics.failed(label, "GET /metrics on " + where(base) + " answered HTTP "
                                    + r.statusCode() + " " + firstLine(r.body()));
                        }
                        return EtcdMetrics.parse(label, System.currentTimeMillis() / 1000.0, r.body());
                    }));
        }
        List<EtcdMetrics> out = new ArrayList<>();
        for (CompletableFuture<EtcdMetrics> f : futures) {
            try {
                out.add(f.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS));
            } catch (ExecutionException | TimeoutException e) {
                out.add(EtcdMetrics.failed("?", "GET /metrics failed: " + FailureClassifier.oneLine(e)));
            }
        }
        return out;
    }

    private static CompletableFuture<EtcdFacts.Member> status(HttpClient http, JsonNode m, Duration timeout) {
        String id = m.path("ID").asText();
        String name = m.path("name").asText("");
        List<String> urls = new ArrayList<>();
        m.path("clientURLs").forEach(u -> urls.add(u.asText()));
        boolean learner = m.path("isLearner").asBoolean(false);
        if (urls.isEmpty()) {
            return CompletableFuture.completedFuture(down(id, name, urls, learner, "advertises no client URL: it was "
                    + "added to the cluster (etcdctl member add) but has never started"));
        }
        URI base = URI.create(urls.get(0));
        HttpRequest request = request(base, "/v3/maintenance/status", "{}", timeout);
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((r, t) -> {
                    if (t != null) {
                        return down(id, name, urls, learner, failure(t, "/v3/maintenance/status", base, timeout).getMessage());
                    }
                    JsonNode s;
                    try {
                        s = r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : null;
                    } catch (IOException e) {
                        s = null;
                    }
                    if (s == null || !s.has("header")) {
                        return down(id, name, urls, learner, "POST /v3/maintenance/status on " + where(base)
                                + " answered HTTP " + r.statusCode() + " " + firstLine(r.body()));
                    }
                    return answered(m, s);
                });
    }

    /**
     * A member that answered: its entry of {@code /v3/cluster/member/list} and the body of its own
     * {@code /v3/maintenance/status}, as etcd's JSON gateway writes them (64-bit numbers as strings).
     */
    static EtcdFacts.Member answered(JsonNode entry, JsonNode s) {
        List<String> urls = new ArrayList<>();
        entry.path("clientURLs").forEach(u -> urls.add(u.asText()));
        List<String> errors = new ArrayList<>();
        s.path("errors").forEach(e -> errors.add(e.asText()));
        return new EtcdFacts.Member(entry.path("ID").asText(), entry.path("name").asText(""), urls,
                entry.path("isLearner").asBoolean(false), null, s.path("version").asText(null),
                s.path("dbSize").asLong(), s.path("dbSizeInUse").asLong(), s.path("leader").asText("0"),
                s.path("raftIndex").asLong(), s.path("raftAppliedIndex").asLong(), s.path("raftTerm").asLong(), errors);
    }

    private static EtcdFacts.Member down(String id, String name, List<String> urls, boolean learner, String error) {
        return new EtcdFacts.Member(id, name, urls, learner, error, null, 0, 0, "0", 0, 0, 0, List.of());
    }

    private static HttpRequest request(URI base, String path, String body, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(timeout).header("User-Agent", USER_AGENT).header("Content-Type", "application/json").build();
    }

    private static JsonNode post(HttpClient http, URI base, String path, String body, Duration timeout)
            throws ProbeException, InterruptedException {
        var future = http.sendAsync(request(base, path, body, timeout), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        HttpResponse<String> r;
        try {
            r = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ProbeException(ProbeErrors.TIMEOUT, "POST " + path + " on " + where(base)
                    + ": no complete answer within " + Runner.human(timeout));
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw failure(e.getCause(), path, base, timeout);
        }
        JsonNode json;
        try {
            json = Json.mapper().readTree(r.body());
        } catch (IOException e) {
            json = null;
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new ProbeException(r.statusCode() == 401 ? ProbeErrors.AUTH_FAILED : ProbeErrors.PERMISSION_DENIED,
                    "POST " + path + " on " + where(base) + " answered HTTP " + r.statusCode()
                            + ": etcd authentication is on and k8s-etcd sends no token");
        }
        if (r.statusCode() != 200 || json == null || !json.isObject()) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "POST " + path + " on " + where(base) + " answered HTTP "
                    + r.statusCode() + " " + firstLine(r.body()) + ": not etcd's v3 JSON gateway (etcd 3.4 or later "
                    + "on a client URL?)");
        }
        return json;
    }

    private static ProbeException failure(Throwable t, String path, URI base, Duration timeout) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return new ProbeException(ProbeErrors.TIMEOUT, request(path) + " on " + where(base) + ": no answer within "
                    + Runner.human(timeout) + " (packets dropped, or the server accepted and said nothing)", t);
        }
        FailureClassifier.Failure f = FailureClassifier.network(t, where(base), base.getHost());
        if (f != null) {
            return new ProbeException(f.code(), f.reason(), t);
        }
        return new ProbeException(ProbeErrors.PROTOCOL_ERROR, request(path) + " on " + where(base)
                + ": the answer is not HTTP (" + FailureClassifier.oneLine(t) + ")", t);
    }

    /** "POST /v3/..." for the gateway calls, "GET /metrics" for the metrics. */
    private static String request(String path) {
        return (path.equals("/metrics") ? "GET " : "POST ") + path;
    }

    private static String where(URI u) {
        return u.getHost() + ":" + u.getPort();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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
