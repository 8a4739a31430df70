package io.opsdoc.checks.http;

import static io.opsdoc.checks.http.HttpCode.*;

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
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Does a URL answer as expected, fast enough, and with a certificate that is valid, trusted and for its name?
 * One GET (or HEAD) with a hard deadline, redirects followed and counted; 500, 502, 503 and 504 each get their own
 * finding, because each points at a different place to look (the application, the upstream connection, capacity or
 * a limiter, the upstream's speed). Blackbox-exporter's {@code http_2xx} module, with the diagnosis attached.
 */
public final class HttpStatus extends DescribedCheck<HttpFacts> {
    public static final String ID = "http-status";
    static final String NOTE = "web/http-status";
    private static final CertificateFindings.Codes CERTIFICATE_CODES = new CertificateFindings.Codes(CERT_EXPIRING,
            CERT_EXPIRED, CERT_UNTRUSTED, HOSTNAME_MISMATCH);

    private static final List<ParameterSpec> PARAMETERS = java.util.stream.Stream.of(List.of(
            new ParameterSpec("method", ParameterType.STRING, "GET", "GET or HEAD; no body is ever sent"),
            new ParameterSpec("expect-status", ParameterType.STRING, "200-399",
                    "statuses that count as success: codes, ranges and classes, e.g. 200-399, 200,204, 2xx"),
            new ParameterSpec("slow-warning", ParameterType.DURATION, "1s", "total time (all hops, with the body) that is slow"),
            new ParameterSpec("slow-critical", ParameterType.DURATION, "5s", "total time that is critically slow"),
            new ParameterSpec("follow-redirects", ParameterType.BOOLEAN, "true",
                    "follow 301/302/303/307/308; when false, the redirect is the final answer"),
            new ParameterSpec("max-redirects", ParameterType.INTEGER, "5", "redirects followed before TOO_MANY_REDIRECTS")),
            CertificateFindings.PARAMETERS).flatMap(List::stream).toList();

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("any HTTP(S) server", List.of(),
            "no credentials and no privileges: one unauthenticated GET or HEAD of the URL, without a body or cookies. "
                    + "If the URL needs a login, probe a health endpoint that does not."));

    public HttpStatus() {
        super(ID, "http", "Does the URL answer with an expected status, fast enough, over a valid, trusted, matching certificate?",
                HttpFacts.class, PARAMETERS, HttpCode.class, GRANTS);
    }

    @Override
    public List<String> targetSchemes() {
        return List.of("http", "https");
    }

    @Override
    public void validate(Target target) {
        if (target.hosts().size() != 1) {
            throw new UsageException("check " + ID + " needs one host in its URL, e.g. https://shop.example/healthz, not "
                    + target.display());
        }
        if (target.user().isPresent() || target.passwordInUri()) {
            throw new UsageException("check " + ID + " sends no credentials: remove the user from " + target.display()
                    + " and probe an endpoint that needs no login");
        }
        HttpProbe.uri(target);
    }

    /** Parameter problems are usage errors (exit 64), like the target's: they say nothing about the site. */
    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        String method = p.string("method").toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new UsageException("parameter method: '" + p.string("method") + "' is not GET or HEAD (the check only reads)");
        }
        try {
            StatusSet.parse(p.string("expect-status"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("parameter " + e.getMessage());
        }
        String ca = p.string("ca-file");
        if (!ca.isBlank()) {
            InputFiles.requireReadable("ca-file", ca);
        }
    }

    @Override
    public HttpFacts collect(CheckContext context) throws Exception {
        return HttpProbe.collect(context);
    }

    @Override
    public void evaluate(HttpFacts facts, Parameters p, Evaluation.Builder out) {
        HttpFacts.Hop last = facts.last();
        out.metric(Metric.of("http_status_code", last.status(), ""));
        out.metric(new Metric("http_duration_seconds", facts.seconds(), "s", Map.of(),
                p.duration("slow-warning").toMillis() / 1000.0, p.duration("slow-critical").toMillis() / 1000.0));
        out.metric(Metric.of("http_redirects", facts.redirects(), ""));
        out.metric(Metric.of("http_content_length", last.bodyBytes(), "B"));
        status(facts, p, out);
        speed(facts, p, out);
        certificates(facts, p, out);
    }

    private static void status(HttpFacts facts, Parameters p, Evaluation.Builder out) {
        HttpFacts.Hop last = facts.last();
        int s = last.status();
        if (facts.redirectLimitReached()) {
            List<String> urls = facts.hops().stream().map(HttpFacts.Hop::url).toList();
            boolean loop = urls.stream().distinct().count() < urls.size()
                    || urls.contains(resolveQuietly(last.url(), last.location()));
            out.finding(TOO_MANY_REDIRECTS, Severity.CRITICAL, facts.url() + " still redirects after " + facts.redirects()
                    + " redirects (max-redirects " + facts.maxRedirects() + ")"
                    + (loop ? ": the chain comes back to a URL it already visited, a redirect loop" : "")
                    + "; browsers give up with ERR_TOO_MANY_REDIRECTS",
                    Evidence.of("redirects", facts.redirects(), "max-redirects", facts.maxRedirects(), "loop", loop,
                            "last_status", s, "last_location", last.location(), "chain", chain(facts)));
            return;
        }
        StatusSet expected = StatusSet.parse(p.string("expect-status"));
        if (expected.contains(s)) {
            return;
        }
        Evidence e = Evidence.of("status", s, "url", last.url(), "method", facts.method(), "expect-status", expected.text())
                .putIfPresent("server", last.server()).putIfPresent("via", last.via());
        if (facts.redirects() > 0) {
            e.put("redirects", facts.redirects()).put("requested_url", facts.url());
        }
        String who = last.server() == null ? "" : " (Server: " + last.server() + ")";
        switch (s) {
            case 500 -> out.finding(HTTP_500, Severity.CRITICAL, last.url() + " answered 500 Internal Server Error" + who
                    + ": the application itself failed on this request; its own log has the exception", e);
            case 502 -> out.finding(HTTP_502, Severity.CRITICAL, last.url() + " answered 502 Bad Gateway" + who
                    + ": a proxy or load balancer could not get a valid response from its upstream (refused, reset, "
                    + "closed early, or no live upstream); the proxy's error log names which", e);
            case 503 -> {
                e.putIfPresent("retry_after", last.retryAfter());
                out.finding(HTTP_503, Severity.CRITICAL, last.url() + " answered 503 Service Unavailable" + who
                        + (last.retryAfter() == null ? "" : ", Retry-After " + last.retryAfter())
                        + ": overloaded, rejected by a rate or connection limit, in maintenance, or no healthy upstream", e);
            }
            case 504 -> out.finding(HTTP_504, Severity.CRITICAL, last.url() + " answered 504 Gateway Timeout" + who
                    + ": the upstream accepted the request but did not answer within the proxy's read timeout "
                    + "(nginx proxy_read_timeout, 60 s by default)", e);
            default -> {
                if (s >= 500 && s <= 599) {
                    out.finding(HTTP_5XX_OTHER, Severity.CRITICAL, last.url() + " answered " + s + who
                            + ": a server-side error other than 500/502/503/504", e);
                } else {
                    out.finding(UNEXPECTED_STATUS, Severity.CRITICAL, last.url() + " answered " + s + " " + describe(s) + who
                            + ", not one of expect-status " + expected.text(), e.putIfPresent("location", last.location()));
                }
            }
        }
    }

    private static void speed(HttpFacts facts, Parameters p, Evaluation.Builder out) {
        Duration warn = p.duration("slow-warning");
        Duration crit = p.duration("slow-critical");
        double s = facts.seconds();
        if (s * 1000 < warn.toMillis()) {
            return;
        }
        boolean critical = s * 1000 >= crit.toMillis();
        HttpFacts.Hop slowest = facts.hops().stream().max((a, b) -> Double.compare(a.seconds(), b.seconds())).orElseThrow();
        Evidence e = Evidence.of("seconds", s, critical ? "slow-critical" : "slow-warning",
                p.raw().get(critical ? "slow-critical" : "slow-warning"), "status", facts.last().status());
        if (facts.redirects() > 0) {
            e.put("hops", facts.hops().stream().map(h -> h.status() + " " + h.url() + " " + h.seconds() + "s")
                    .collect(Collectors.joining(" -> ")));
        }
        out.finding(SLOW_RESPONSE, critical ? Severity.CRITICAL : Severity.WARNING, facts.method() + " " + facts.url()
                + " took " + String.format(Locale.ROOT, "%.3f", s) + " s (" + (critical ? "slow-critical " : "slow-warning ")
                + p.raw().get(critical ? "slow-critical" : "slow-warning") + ")"
                + (facts.redirects() > 0 ? "; slowest hop " + slowest.url() + " " + slowest.seconds() + " s" : ""), e);
    }

    /** Each host's certificate once (a redirect chain may visit a host twice), judged like tls-endpoint's. */
    private static void certificates(HttpFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, HttpFacts.Tls> byHost = new LinkedHashMap<>();
        for (HttpFacts.Hop h : facts.hops()) {
            if (h.tls() != null) {
                byHost.putIfAbsent(h.tls().host().toLowerCase(Locale.ROOT), h.tls());
            }
        }
        CertificateFindings.judge(List.copyOf(byHost.values()), facts.observedAt(), p, out, CERTIFICATE_CODES);
    }

    private static String chain(HttpFacts facts) {
        return facts.hops().stream().map(h -> h.status() + " " + h.url()).collect(Collectors.joining(" -> "));
    }

    private static String resolveQuietly(String base, String location) {
        if (location == null) {
            return null;
        }
        try {
            return java.net.URI.create(base).resolve(location.trim()).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String describe(int s) {
        return switch (s) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 410 -> "Gone";
            case 429 -> "Too Many Requests";
            default -> s >= 200 && s < 300 ? "(success, but not expected)" : "";
        };
    }
}
