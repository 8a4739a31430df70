package io.opsdoc.checks.edge;

import static io.opsdoc.checks.edge.NginxStatusCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.InputFiles;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Is nginx dropping or about to drop connections? Two readings of {@code stub_status} a window apart: accepts vs
 * handled (a connection accepted and closed at once because the worker had no free slot), active connections
 * against worker_processes x worker_connections, and the request and accept rates over the window. What
 * prometheus-nginx-exporter scrapes, judged.
 */
public final class NginxStatus extends DescribedCheck<NginxStatusFacts> {
    public static final String ID = "nginx-status";
    static final String NOTE = "nginx/status";
    static final String DEFAULT_PATH = "/nginx_status";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "5s",
                    "time between the two stub_status readings (rates, drops now vs since start)"),
            new ParameterSpec("max-connections", ParameterType.INTEGER, "0",
                    "worker_processes x worker_connections of this nginx; 0 = taken from config-file when given, "
                            + "else not judged"),
            new ParameterSpec("connections-warning", ParameterType.PERCENT, "80%",
                    "active connections, as a share of max-connections, that warn"),
            new ParameterSpec("connections-critical", ParameterType.PERCENT, "95%",
                    "active connections, as a share of max-connections, that are critical"),
            new ParameterSpec("config-file", ParameterType.STRING, "",
                    "this nginx's main configuration file on the host opsdoc runs on (includes followed), e.g. "
                            + "/etc/nginx/nginx.conf: judges worker_processes vs CPUs, worker_connections vs the "
                            + "workers' fd limit, keepalive_timeout 0 and upstreams without keepalive; empty: not read"));

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("nginx with ngx_http_stub_status_module", List.of(
            "location = /nginx_status { stub_status; allow <opsdoc's address>; deny all; }",
            "with config-file: read access to nginx.conf and the files it includes (world-readable on Debian; the TLS "
                    + "keys are not read) and to the pid file; /proc/PID/limits is world-readable"),
            "no credentials: two GETs of the stub_status location, which shows counters only. Restrict it by address; "
                    + "if it sits behind auth_basic, give the user in the target and the password from a secret source."));

    public NginxStatus() {
        super(ID, "nginx", "Is nginx dropping connections, or near its worker_connections limit?", NginxStatusFacts.class,
                PARAMETERS, NginxStatusCode.class, GRANTS);
    }

    /** nginx://host:port/path, or the status page's own http:// URL: both are read over plain HTTP. */
    @Override
    public List<String> targetSchemes() {
        return List.of("nginx", "http");
    }

    @Override
    public void validate(Target target) {
        requireOneHost(ID, target);
    }

    static void requireOneHost(String id, Target target) {
        if (target.hosts().size() != 1) {
            throw new UsageException("check " + id + " needs one nginx, e.g. nginx://web1:8080/nginx_status, not "
                    + target.display());
        }
    }

    @Override
    public void validate(Target target, Parameters parameters) {
        validate(target);
        if (!parameters.string("config-file").isBlank()) {
            InputFiles.requireReadable("config-file", parameters.string("config-file"));
        }
    }

    @Override
    public NginxStatusFacts collect(CheckContext context) throws Exception {
        URI url = EdgeHttp.url(context.target(), DEFAULT_PATH, "");
        String config = context.parameters().string("config-file");
        NginxTuningFacts tuning = null;
        if (!config.isBlank()) {
            try {
                tuning = NginxTuningReader.read(Path.of(config));
            } catch (IOException e) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot read config-file " + config + ": " + e);
            }
        }
        StubStatus first = read(context, url);
        Duration window = SamplingWindow.fit(context.parameters().duration("window"), context.remaining());
        long t0 = System.nanoTime();
        if (window.isZero()) {
            return new NginxStatusFacts(url.toString(), first, null, 0, tuning);
        }
        Thread.sleep(window.toMillis());
        StubStatus second = read(context, url);
        return new NginxStatusFacts(url.toString(), first, second, (System.nanoTime() - t0) / 1_000_000, tuning);
    }

    static StubStatus read(CheckContext context, URI url) throws ProbeException, InterruptedException {
        String body = EdgeHttp.get(context, url, context.target().user(), context.password());
        StubStatus s = StubStatus.parse(body);
        if (s == null) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, url + " answered 200 but not with a stub_status page "
                    + "(expected 'Active connections: N'; is 'stub_status;' in that location?)");
        }
        return s;
    }

    @Override
    public void evaluate(NginxStatusFacts facts, Parameters p, Evaluation.Builder out) {
        StubStatus last = facts.last();
        out.metric(Metric.of("nginx_connections_active", last.active(), ""));
        out.metric(Metric.of("nginx_connections_reading", last.reading(), ""));
        out.metric(Metric.of("nginx_connections_writing", last.writing(), ""));
        out.metric(Metric.of("nginx_connections_waiting", last.waiting(), ""));
        out.metric(Metric.of("nginx_connections_dropped_total", last.dropped(), ""));
        Long droppedInWindow = null;
        if (facts.second() != null && facts.windowMs() > 0) {
            double secs = facts.windowMs() / 1000.0;
            out.metric(Metric.of("nginx_requests_per_second", round((facts.second().requests() - facts.first().requests()) / secs), "1/s"));
            out.metric(Metric.of("nginx_accepts_per_second", round((facts.second().accepts() - facts.first().accepts()) / secs), "1/s"));
            droppedInWindow = facts.second().dropped() - facts.first().dropped();
        }
        if (last.dropped() > 0) {
            boolean now = droppedInWindow != null && droppedInWindow > 0;
            Evidence e = Evidence.of("accepts", last.accepts(), "handled", last.handled(), "dropped_total", last.dropped(),
                    "active", last.active(), "url", facts.url());
            if (droppedInWindow != null) {
                e.put("dropped_in_window", droppedInWindow).put("window_ms", facts.windowMs());
            }
            out.finding(CONNECTIONS_DROPPED, now ? Severity.CRITICAL : Severity.WARNING, "nginx accepted " + last.accepts()
                    + " connections and handled " + last.handled() + ": " + last.dropped() + " were closed right after "
                    + "accept, because the worker had no free connection slot (worker_connections are not enough)"
                    + (now ? "; " + droppedInWindow + " of them in the last " + facts.windowMs() + " ms: it is happening now"
                            : droppedInWindow == null ? "" : "; none in the last " + facts.windowMs()
                                    + " ms (the counters run since the master started)"), e);
        }
        long max = p.integer("max-connections");
        String maxFrom = "max-connections";
        if (facts.tuning() != null) {
            NginxTuningRules.evaluate(facts.tuning(), out);
            if (max <= 0) {
                max = (long) facts.tuning().workers() * facts.tuning().workerConnections();
                maxFrom = "worker_processes x worker_connections";
            }
        }
        if (max > 0) {
            double pct = 100.0 * last.active() / max;
            out.metric(new Metric("nginx_connections_used_percent", round(pct), "%", Map.of(),
                    p.percent("connections-warning"), p.percent("connections-critical")));
            if (pct >= p.percent("connections-warning")) {
                boolean critical = pct >= p.percent("connections-critical");
                String threshold = critical ? "connections-critical" : "connections-warning";
                out.finding(NEAR_WORKER_CONNECTION_LIMIT, critical ? Severity.CRITICAL : Severity.WARNING, last.active()
                        + " active connections of " + maxFrom + " " + max + " (" + String.format(Locale.ROOT, "%.0f", pct)
                        + "%, " + threshold + " " + p.raw().get(threshold) + "); at the limit nginx closes new connections "
                        + "right after accept, and each proxied request holds a second connection to its upstream",
                        Evidence.of("active", last.active(), "max-connections", max, "max_from", maxFrom, "used_percent", round(pct),
                                "reading", last.reading(), "writing", last.writing(), "waiting", last.waiting(),
                                threshold, p.raw().get(threshold)));
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
