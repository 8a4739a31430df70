package io.opsdoc.checks.edge;

import static io.opsdoc.checks.edge.HaproxyCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which HAProxy backends and servers are out, and where do requests pile up? One read of the stats page as CSV
 * ({@code ;csv}): servers DOWN with their health check's verdict, servers in MAINT, backends with no server up (their
 * requests get 503), queues (every server at its maxconn) and sessions near a limit. The same numbers
 * haproxy_exporter and HAProxy's own Prometheus endpoint export, judged.
 */
public final class HaproxyBackends extends DescribedCheck<HaproxyFacts> {
    public static final String ID = "haproxy-backends";
    static final String NOTE = "haproxy/backends";
    static final String DEFAULT_PATH = "/haproxy?stats";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("queue-warning", ParameterType.INTEGER, "1",
                    "requests waiting in one backend's queues (backend + its servers) that warn"),
            new ParameterSpec("queue-critical", ParameterType.PERCENT, "80%",
                    "queued requests, as a share of the queue limit (maxqueue/qlimit) where one is set, that are critical"),
            new ParameterSpec("sessions-warning", ParameterType.PERCENT, "80%",
                    "current sessions, as a share of the limit (slim: maxconn), that warn"),
            new ParameterSpec("sessions-critical", ParameterType.PERCENT, "95%",
                    "current sessions, as a share of the limit, that are critical"),
            new ParameterSpec("maint", ParameterType.BOOLEAN, "true",
                    "report servers in MAINT (false where maintenance is routine and announced elsewhere)"));

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("HAProxy stats page", List.of(
            "listen stats\n  bind <address>:8404\n  stats enable\n  stats uri /stats\n  stats auth monitor:<password>"),
            "read-only: the stats page without 'stats admin' (the check never posts). With 'stats auth', give the user "
                    + "in the target (haproxy://monitor@lb1:8404/stats) and the password from a secret source."));

    public HaproxyBackends() {
        super(ID, "haproxy", "Which HAProxy backends and servers are down or in maintenance, and where do requests queue?",
                HaproxyFacts.class, PARAMETERS, HaproxyCode.class, GRANTS);
    }

    /** haproxy://host:port/path, or the status page's own http:// URL: both are read over plain HTTP. */
    @Override
    public List<String> targetSchemes() {
        return List.of("haproxy", "http");
    }

    @Override
    public void validate(Target target) {
        if (target.hosts().size() != 1) {
            throw new UsageException("check " + ID + " needs one HAProxy stats page, e.g. haproxy://lb1:8404/stats, not "
                    + target.display());
        }
    }

    @Override
    public HaproxyFacts collect(CheckContext context) throws Exception {
        URI url = EdgeHttp.url(context.target(), DEFAULT_PATH, ";csv");
        String body = EdgeHttp.get(context, url, context.target().user(), context.password());
        List<HaproxyFacts.Row> rows = StatsCsv.parse(body);
        if (rows == null) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, url + " answered 200 but not with HAProxy's stats CSV "
                    + "(no '# pxname,svname,' header; is the path the 'stats uri'?)");
        }
        return new HaproxyFacts(url.toString(), rows);
    }

    @Override
    public void evaluate(HaproxyFacts facts, Parameters p, Evaluation.Builder out) {
        List<HaproxyFacts.Row> servers = facts.rows().stream().filter(r -> r.type() == HaproxyFacts.SERVER).toList();
        List<HaproxyFacts.Row> backends = facts.rows().stream().filter(r -> r.type() == HaproxyFacts.BACKEND).toList();
        long down = servers.stream().filter(HaproxyBackends::isDown).count();
        out.metric(Metric.of("haproxy_servers", servers.size(), ""));
        out.metric(Metric.of("haproxy_servers_down", down, ""));
        out.metric(Metric.of("haproxy_backends_down", backends.stream().filter(HaproxyBackends::isDown).count(), ""));
        for (HaproxyFacts.Row b : backends) {
            List<HaproxyFacts.Row> mine = servers.stream().filter(s -> s.proxy().equals(b.proxy())).toList();
            if (isDown(b)) {
                String who = mine.isEmpty() ? "it has no servers" : mine.stream().map(HaproxyBackends::describe)
                        .collect(Collectors.joining("; "));
                out.finding(BACKEND_DOWN, Severity.CRITICAL, "backend " + b.proxy() + " is DOWN: no server is up ("
                        + who + "); every request routed to it gets 503 Service Unavailable",
                        Evidence.of("backend", b.proxy(), "status", b.status(), "servers", who,
                                "down_for_seconds", b.lastChange()), b.proxy());
            }
            queue(b, mine, p, out);
        }
        for (HaproxyFacts.Row s : servers) {
            String subject = s.proxy() + "/" + s.name();
            if (isDown(s)) {
                out.finding(SERVER_DOWN, Severity.WARNING, "server " + subject + " is " + describe(s),
                        Evidence.of("backend", s.proxy(), "server", s.name(), "status", s.status(), "check_status",
                                s.checkStatus(), "check_code", s.checkCode(), "last_check", s.lastCheck(),
                                "down_for_seconds", s.lastChange()), subject);
            } else if (s.status() != null && s.status().startsWith("MAINT") && p.bool("maint")) {
                out.finding(SERVER_MAINT, Severity.WARNING, "server " + subject + " is in maintenance (" + s.status()
                        + ") for " + s.lastChange() + " s: it takes no traffic until someone sets it back to ready",
                        Evidence.of("backend", s.proxy(), "server", s.name(), "status", s.status(),
                                "since_seconds", s.lastChange()), subject);
            }
        }
        for (HaproxyFacts.Row r : facts.rows()) {
            sessions(r, p, out);
        }
    }

    private static void queue(HaproxyFacts.Row backend, List<HaproxyFacts.Row> servers, Parameters p, Evaluation.Builder out) {
        long queued = nz(backend.qcur()) + servers.stream().mapToLong(s -> nz(s.qcur())).sum();
        if (queued < Math.max(1, p.integer("queue-warning"))) {
            return;
        }
        // maxqueue is per server: the backend row has no qlimit, the sum of its servers' is the backend's
        Long limit = backend.qlimit() != null ? backend.qlimit()
                : servers.stream().allMatch(s -> s.qlimit() != null) && !servers.isEmpty()
                        ? servers.stream().mapToLong(HaproxyFacts.Row::qlimit).sum() : null;
        double pct = limit == null || limit <= 0 ? -1 : 100.0 * queued / limit;
        boolean critical = pct >= p.percent("queue-critical");
        String perServer = servers.stream().map(s -> s.name() + " sessions " + s.scur() + "/" + (s.slim() == null ? "-" : s.slim())
                + (nz(s.qcur()) > 0 ? " queued " + s.qcur() : "")).collect(Collectors.joining(", "));
        out.finding(QUEUEING, critical ? Severity.CRITICAL : Severity.WARNING, queued + " request(s) wait in backend "
                + backend.proxy() + "'s queues" + (pct >= 0 ? " (" + String.format(Locale.ROOT, "%.0f", pct)
                        + "% of maxqueue " + limit + ")" : "") + ": every server is at its maxconn (" + perServer
                + "); they wait up to 'timeout queue', then get 503",
                Evidence.of("backend", backend.proxy(), "queued", queued, "backend_qcur", backend.qcur(), "qlimit", limit,
                        "servers", perServer), backend.proxy());
    }

    private static void sessions(HaproxyFacts.Row r, Parameters p, Evaluation.Builder out) {
        if (r.slim() == null || r.slim() <= 0 || r.scur() == null) {
            return;
        }
        double pct = 100.0 * r.scur() / r.slim();
        if (pct < p.percent("sessions-warning")) {
            return;
        }
        boolean critical = pct >= p.percent("sessions-critical");
        String kind = switch (r.type()) {
            case HaproxyFacts.FRONTEND -> "frontend " + r.proxy();
            case HaproxyFacts.BACKEND -> "backend " + r.proxy();
            default -> "server " + r.proxy() + "/" + r.name();
        };
        String threshold = critical ? "sessions-critical" : "sessions-warning";
        out.finding(SESSIONS_NEAR_LIMIT, critical ? Severity.CRITICAL : Severity.WARNING, kind + " has " + r.scur()
                + " sessions of its limit " + r.slim() + " (" + String.format(Locale.ROOT, "%.0f", pct) + "%, " + threshold
                + " " + p.raw().get(threshold) + ")" + (r.type() == HaproxyFacts.FRONTEND
                        ? ": at the limit new connections wait in the kernel's accept backlog, then time out"
                        : ": at the limit requests queue"),
                Evidence.of("proxy", r.proxy(), "name", r.name(), "scur", r.scur(), "slim", r.slim(),
                        "used_percent", Math.round(pct * 10) / 10.0, threshold, p.raw().get(threshold)),
                kind);
    }

    static boolean isDown(HaproxyFacts.Row r) {
        return r.status() != null && r.status().startsWith("DOWN");
    }

    private static String describe(HaproxyFacts.Row s) {
        StringBuilder b = new StringBuilder(s.name() + " " + s.status());
        if (s.checkStatus() != null) {
            b.append(" (check ").append(s.checkStatus());
            if (s.checkCode() != null) {
                b.append(" ").append(s.checkCode());
            }
            if (s.lastCheck() != null) {
                b.append(": ").append(s.lastCheck());
            }
            b.append(")");
        }
        String meaning = s.checkStatus() == null ? null : Map.of("L4CON", "connection refused or failed",
                "L4TOUT", "no TCP connection within the check timeout", "L7STS", "the health URL answered a bad status",
                "L7TOUT", "the health URL did not answer in time", "L6TOUT", "no TLS/protocol answer in time",
                "L7RSP", "the health URL answered something invalid", "L6RSP", "invalid TLS/protocol answer")
                .get(s.checkStatus().replaceAll("^\\*", ""));
        return meaning == null ? b.toString() : b.append(" — ").append(meaning).toString();
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }
}
