package io.opsdoc.lab.http;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.http.LabCertificates.Kind;
import io.opsdoc.lab.scenario.Expect;
import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * http-status against real HTTP servers: an origin that answers any status, a reverse proxy in front of an upstream
 * that is stopped, slow or marked down, a concurrency limiter, HTTPS ports serving keytool-made certificates (valid,
 * self-signed, expired, expiring, for another host), a black hole and a refused port. Most faults are a URL: the
 * origin answers what the path asks for; the proxy's faults are changes {@link HttpLab#heal()} undoes.
 */
public final class HttpScenarios implements ScenarioSet<HttpLab> {
    /** Every code of http-status: a scenario that expects some of them wants none of the others. */
    private static final List<String> CODES = List.of("HTTP_500", "HTTP_502", "HTTP_503", "HTTP_504", "HTTP_5XX_OTHER",
            "UNEXPECTED_STATUS", "SLOW_RESPONSE", "TOO_MANY_REDIRECTS", "CERT_EXPIRING", "CERT_EXPIRED", "CERT_UNTRUSTED",
            "HOSTNAME_MISMATCH");

    @Override
    public String system() {
        return "http";
    }

    @Override
    public String description() {
        return "Jetty in this JVM: an origin (HTTP and 6 HTTPS ports with keytool-made certificates), an upstream and a "
                + "reverse proxy in front of it with a 1 s upstream timeout and a limiter (~10 s: keytool makes the "
                + "certificates)";
    }

    @Override
    public List<LabVariant<HttpLab>> variants() {
        return List.of(LabVariant.only(HttpLab::start, HttpLab::shared));
    }

    @Override
    public List<Scenario<HttpLab>> scenarios() {
        return List.of(
                // --- healthy counterparts
                get("http-healthy", "GET /healthz on the origin: 200, fast", lab -> lab.url("/healthz")).healthy()
                        .metrics("http_status_code", "http_duration_seconds", "http_redirects", "http_content_length")
                        .build(),
                get("http-head-healthy", "HEAD /healthz: 200, no body read", lab -> lab.url("/healthz"))
                        .param("method", "HEAD").healthy().build(),
                trusted("https-healthy", "GET over HTTPS with a CA-signed certificate (the lab CA given as ca-file)",
                        Kind.VALID, "/healthz").healthy().metrics("tls_cert_expiry_days").build(),
                get("http-proxy-healthy", "GET through the reverse proxy to a running upstream",
                        lab -> lab.proxyUrl("/healthz")).healthy().build(),
                get("http-limiter-healthy", "GET under /limited/ while the limiter's slot is free",
                        lab -> lab.proxyUrl("/limited/healthz")).healthy().build(),
                get("http-upstream-fast-enough", "the upstream answers in 100 ms, well within the proxy's 1 s timeout",
                        lab -> lab.proxyUrl("/slow?ms=100")).healthy().build(),
                get("http-redirects-followed", "three 302s ending in 200 are followed (max-redirects 5)",
                        lab -> lab.url("/redirect/3")).healthy().metrics("http_redirects").build(),

                // --- statuses: each 5xx points somewhere else
                only(get("http-app-error", "the application answers 500", lab -> lab.url("/status/500")),
                        code("HTTP_500").severity(CRITICAL).evidence("status", 500)),
                only(get("http-upstream-stopped", "the upstream behind the proxy is stopped: the proxy's connect is "
                                + "refused", lab -> lab.proxyUrl("/healthz")).breaks(HttpLab::stopUpstream),
                        code("HTTP_502").severity(CRITICAL).says("Bad Gateway")),
                only(get("http-no-healthy-upstream", "the proxy has its only upstream marked down: 503 with Retry-After",
                                lab -> lab.proxyUrl("/healthz")).breaks(HttpLab::markUpstreamDown),
                        code("HTTP_503").severity(CRITICAL).evidence("retry_after", "30").says("Retry-After 30")),
                only(get("http-limiter-rejects", "one slow request holds the limiter's only slot; the next one is "
                                + "rejected", lab -> lab.proxyUrl("/limited/healthz")).breaks(HttpLab::occupyLimiter),
                        code("HTTP_503").severity(CRITICAL)),
                only(get("http-upstream-too-slow", "the upstream takes 3 s, the proxy's read timeout is 1 s",
                        lab -> lab.proxyUrl("/slow?ms=3000")), code("HTTP_504").severity(CRITICAL)),
                otherServerError("http-other-5xx", "the application answers 507 Insufficient Storage", 507),
                otherServerError("http-not-implemented", "the application answers 501 Not Implemented", 501),
                otherServerError("http-version-not-supported", "the application answers 505 HTTP Version Not Supported",
                        505),
                unexpected("http-not-found", "the URL answers 404", 404),
                unexpected("http-unauthorized", "the URL answers 401: it needs a login", 401),
                unexpected("http-forbidden", "the URL answers 403", 403),
                only(get("http-redirect-not-followed", "a 302 with follow-redirects=false is the final answer, outside "
                                + "200-299", lab -> lab.url("/redirect/1")).param("follow-redirects", "false")
                                .param("expect-status", "200-299"),
                        code("UNEXPECTED_STATUS").evidence("status", 302).evidence("location", "/redirect/0")),
                get("http-404-expected", "a 404 the operator lists in expect-status (200,404) is no finding",
                        lab -> lab.url("/status/404")).param("expect-status", "200,404").healthy().build(),
                get("http-204-expected", "204 with expect-status 2xx is no finding", lab -> lab.url("/status/204"))
                        .param("expect-status", "2xx").healthy().build(),
                get("http-maintenance-expected", "a maintenance page probed with expect-status 503 is no finding",
                        lab -> lab.url("/status/503")).param("expect-status", "503").healthy().build(),

                // --- speed and redirects
                only(get("http-slow", "the application takes 600 ms (slow-warning 300ms, slow-critical 5s)",
                                lab -> lab.url("/slow?ms=600")).param("slow-warning", "300ms").param("slow-critical", "5s"),
                        code("SLOW_RESPONSE").severity(WARNING)),
                only(get("http-very-slow", "the application takes 600 ms (slow-warning 100ms, slow-critical 300ms)",
                                lab -> lab.url("/slow?ms=600")).param("slow-warning", "100ms")
                                .param("slow-critical", "300ms"),
                        code("SLOW_RESPONSE").severity(CRITICAL)),
                get("http-fast-enough", "the application takes 10 ms (slow-warning 300ms)", lab -> lab.url("/slow?ms=10"))
                        .param("slow-warning", "300ms").healthy().build(),
                only(get("http-redirect-loop", "/loop/a and /loop/b redirect to each other", lab -> lab.url("/loop/a")),
                        code("TOO_MANY_REDIRECTS").severity(CRITICAL).evidence("loop", true).evidence("redirects", 5)),
                only(get("http-redirect-chain-too-long", "a chain of 4 redirects with max-redirects 2",
                                lab -> lab.url("/redirect/4")).param("max-redirects", "2"),
                        code("TOO_MANY_REDIRECTS").evidence("loop", false)),
                get("http-redirect-chain-within-limit", "a chain of 2 redirects with max-redirects 2",
                        lab -> lab.url("/redirect/2")).param("max-redirects", "2").healthy().build(),

                // --- certificates: with the lab CA trusted, each shows exactly one problem
                only(trusted("http-cert-expiring", "the certificate has 3 days left (cert-critical 7d)",
                        Kind.EXPIRING_SOON, "/healthz"), code("CERT_EXPIRING").severity(CRITICAL)),
                only(trusted("http-cert-expiring-warning", "the certificate has 20 days left (cert-warning 30d)",
                        Kind.EXPIRING, "/healthz"), code("CERT_EXPIRING").severity(WARNING)),
                trusted("http-cert-renewal-not-due", "20 days left with cert-warning 14d is no finding", Kind.EXPIRING,
                        "/healthz").param("cert-warning", "14d").healthy().build(),
                only(trusted("http-cert-expired", "the certificate expired 9 days ago", Kind.EXPIRED, "/healthz"),
                        code("CERT_EXPIRED").severity(CRITICAL)),
                only(get("http-self-signed", "a self-signed certificate",
                                lab -> lab.httpsUrl(Kind.SELF_SIGNED, "/healthz")),
                        code("CERT_UNTRUSTED").severity(CRITICAL).evidence("self_signed", true)),
                only(get("http-private-ca-not-trusted", "a certificate from a private CA, without ca-file",
                                lab -> lab.httpsUrl(Kind.VALID, "/healthz")),
                        code("CERT_UNTRUSTED").evidence("self_signed", false).says("CN=opsdoc lab CA")),
                only(trusted("http-wrong-host", "a valid certificate for wrong.example, served for 127.0.0.1",
                                Kind.WRONG_HOST, "/healthz"),
                        code("HOSTNAME_MISMATCH").severity(CRITICAL).evidence("dns_names", "wrong.example")
                                .evidence("host", "127.0.0.1")),
                only(trusted("http-bad-gateway-and-expired", "a 502 over an expired certificate: both are reported",
                        Kind.EXPIRED, "/status/502"), code("HTTP_502"), code("CERT_EXPIRED")),

                // --- could not decide: the engine's probe errors
                only(get("http-black-hole", "a port that accepts connections and never answers (--timeout 2s)",
                                lab -> lab.blackHoleUrl("http", "/healthz")).timeout(Duration.ofSeconds(2)),
                        code("TIMEOUT").severity(UNKNOWN)),
                only(get("https-black-hole", "the same black hole over https: no TLS handshake ever (--timeout 1s)",
                                lab -> lab.blackHoleUrl("https", "/")).timeout(Duration.ofSeconds(1)),
                        code("TIMEOUT").severity(UNKNOWN)),
                only(get("http-refused", "nothing listens on the port", lab -> HttpLab.refusedUrl())
                                .timeout(Duration.ofSeconds(5)),
                        code("UNREACHABLE").severity(UNKNOWN).says("refused")),
                only(get("http-unknown-host", "the host name does not resolve", lab -> "http://no-such-host.invalid/")
                                .timeout(Duration.ofSeconds(5)),
                        code("UNREACHABLE").severity(UNKNOWN).says("DNS")));
    }

    /**
     * http-status on a URL of the lab. Speed has its own scenarios, with their own thresholds; the others allow 5 s,
     * so that a loaded machine (the first TLS handshake of a cold JVM there took over the default 1 s) cannot add a
     * SLOW_RESPONSE to a scenario about something else.
     */
    private static Scenario.Builder<HttpLab> get(String id, String story, Function<HttpLab, String> url) {
        return Scenario.<HttpLab>of(id, story).checks("http-status").target(url).param("slow-warning", "5s")
                .param("slow-critical", "9s");
    }

    /** An HTTPS URL of the origin served with {@code kind}'s certificate, the lab CA trusted. */
    private static Scenario.Builder<HttpLab> trusted(String id, String story, Kind kind, String path) {
        return get(id, story, lab -> lab.httpsUrl(kind, path)).param("ca-file", lab -> lab.caFile().toString());
    }

    private static Scenario<HttpLab> otherServerError(String id, String story, int status) {
        return only(get(id, story, lab -> lab.url("/status/" + status)),
                code("HTTP_5XX_OTHER").severity(CRITICAL).evidence("status", status));
    }

    private static Scenario<HttpLab> unexpected(String id, String story, int status) {
        return only(get(id, story, lab -> lab.url("/status/" + status)),
                code("UNEXPECTED_STATUS").severity(CRITICAL).evidence("status", status));
    }

    /** These codes and no other code of http-status: each fault points at one place to look. */
    private static Scenario<HttpLab> only(Scenario.Builder<HttpLab> b, Expect... expected) {
        List<String> codes = Arrays.stream(expected).map(Expect::code).toList();
        Arrays.stream(expected).forEach(b::expect);
        b.absent(CODES.stream().filter(c -> !codes.contains(c)).toArray(String[]::new));
        return b.build();
    }
}
