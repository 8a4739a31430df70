package io.opsdoc.checks.http;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.lab.SilentTcpServer;
import io.opsdoc.lab.http.HttpLab;
import io.opsdoc.lab.http.LabCertificates.Kind;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http-status} against real servers: an origin that answers each status, a reverse proxy in front of an
 * upstream that is stopped, slow or marked down, a concurrency limiter, and HTTPS ports serving keytool-made
 * certificates that are valid, self-signed, expired, expiring and for another host. Every finding code is induced
 * for real, and shown absent when healthy.
 */
@Tag("lab")
class HttpStatusLabTest {
    private static final HttpStatus CHECK = new HttpStatus();
    private static final Runner RUNNER = new Runner();
    private static HttpLab lab;

    @BeforeAll
    static void startLab() {
        lab = HttpLab.shared();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    static Report run(String url, Map<String, String> params, Duration timeout) {
        return RUNNER.run(CHECK, Target.parse(url), Parameters.resolve(CHECK.id(), CHECK.parameters(), params),
                Optional.empty(), timeout).report();
    }

    static Report run(String url, String... kv) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            params.put(kv[i], kv[i + 1]);
        }
        return run(url, params, Duration.ofSeconds(10));
    }

    /** A trusted https URL needs the lab CA. */
    Report https(Kind kind, String path, String... kv) {
        String[] all = new String[kv.length + 2];
        all[0] = "ca-file";
        all[1] = lab.caFile().toString();
        System.arraycopy(kv, 0, all, 2, kv.length);
        return run(lab.httpsUrl(kind, path), all);
    }

    static List<String> codes(Report r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    static Finding finding(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + codes(r) + ": " + r.findings()));
    }

    static double metric(Report r, String name) {
        return r.metrics().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + r.metrics())).value();
    }

    // --- healthy: no finding at all ---

    @Test
    void healthyHttpIsOkWithMetrics() {
        Report r = run(lab.url("/healthz"));
        assertThat(r.findings()).as(r.toString()).isEmpty();
        assertThat(r.status()).isEqualTo(Severity.OK);
        assertThat(metric(r, "http_status_code")).isEqualTo(200);
        assertThat(metric(r, "http_redirects")).isZero();
        assertThat(metric(r, "http_content_length")).isEqualTo(3);
        assertThat(metric(r, "http_duration_seconds")).isLessThan(1);
    }

    @Test
    void healthyThroughTheProxyIsOk() {
        Report r = run(lab.proxyUrl("/healthz"));
        assertThat(r.findings()).as(r.toString()).isEmpty();
    }

    @Test
    void healthyHttpsWithTheCaIsOkAndReportsDaysLeft() {
        Report r = https(Kind.VALID, "/healthz");
        assertThat(r.findings()).as(r.toString()).isEmpty();
        assertThat(metric(r, "tls_cert_expiry_days")).isBetween(330.0, 336.0);
    }

    @Test
    void headIsOkAndReadsNoBody() {
        Report r = run(lab.url("/healthz"), "method", "HEAD");
        assertThat(r.findings()).as(r.toString()).isEmpty();
        assertThat(metric(r, "http_content_length")).isZero();
    }

    // --- statuses ---

    @Test
    void http500FromTheApplication() {
        Report r = run(lab.url("/status/500"));
        Finding f = finding(r, "HTTP_500");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("status", 500);
        assertThat(f.note()).isEqualTo("web/http-status#http-500");
        assertThat(codes(r)).containsExactly("HTTP_500");
    }

    @Test
    void http502WhenTheUpstreamBehindTheProxyIsStopped() {
        lab.stopUpstream();
        Report r = run(lab.proxyUrl("/healthz"));
        assertThat(codes(r)).as(r.toString()).containsExactly("HTTP_502");
        assertThat(finding(r, "HTTP_502").summary()).contains("Bad Gateway");
        lab.startUpstream();
        assertThat(codes(run(lab.proxyUrl("/healthz")))).isEmpty();
    }

    @Test
    void http503WhenTheProxyHasNoHealthyUpstreamWithRetryAfter() {
        lab.markUpstreamDown();
        Report r = run(lab.proxyUrl("/healthz"));
        Finding f = finding(r, "HTTP_503");
        assertThat(f.evidence()).containsEntry("retry_after", "30");
        assertThat(f.summary()).contains("Retry-After 30");
        assertThat(codes(r)).containsExactly("HTTP_503");
    }

    @Test
    void http503WhenAConcurrencyLimiterRejects() {
        assertThat(codes(run(lab.proxyUrl("/limited/healthz")))).isEmpty();
        lab.occupyLimiter();
        Report r = run(lab.proxyUrl("/limited/healthz"));
        assertThat(codes(r)).as(r.toString()).containsExactly("HTTP_503");
    }

    @Test
    void http504WhenTheUpstreamIsSlowerThanTheProxyTimeout() {
        Report r = run(lab.proxyUrl("/slow?ms=3000"));
        assertThat(codes(r)).as(r.toString()).contains("HTTP_504").doesNotContain("HTTP_502");
        // the proxy gave up after its own 1 s timeout, not ours
        assertThat(metric(r, "http_duration_seconds")).isBetween(0.9, 2.5);
        assertThat(codes(run(lab.proxyUrl("/slow?ms=100")))).isEmpty();
    }

    @Test
    void other5xxStatuses() {
        for (int s : new int[] {501, 505, 507}) {
            Report r = run(lab.url("/status/" + s));
            assertThat(codes(r)).as(r.toString()).containsExactly("HTTP_5XX_OTHER");
        }
    }

    @Test
    void unexpectedStatuses() {
        for (int s : new int[] {404, 401, 403}) {
            Report r = run(lab.url("/status/" + s));
            assertThat(codes(r)).as(r.toString()).containsExactly("UNEXPECTED_STATUS");
            assertThat(finding(r, "UNEXPECTED_STATUS").evidence()).containsEntry("status", s);
        }
        assertThat(codes(run(lab.url("/status/404"), "expect-status", "200,404"))).isEmpty();
        assertThat(codes(run(lab.url("/status/204"), "expect-status", "2xx"))).isEmpty();
        // a 503 the operator expects (a maintenance page being probed) is not a finding
        assertThat(codes(run(lab.url("/status/503"), "expect-status", "503"))).isEmpty();
        // a redirect not followed is the final answer: outside 200-299 it is unexpected
        Report r = run(lab.url("/redirect/1"), "follow-redirects", "false", "expect-status", "200-299");
        assertThat(codes(r)).containsExactly("UNEXPECTED_STATUS");
        assertThat(finding(r, "UNEXPECTED_STATUS").evidence()).containsEntry("location", "/redirect/0");
    }

    // --- speed and redirects ---

    @Test
    void slowResponseWarningThenCritical() {
        Report warn = run(lab.url("/slow?ms=600"), "slow-warning", "300ms", "slow-critical", "5s");
        assertThat(codes(warn)).containsExactly("SLOW_RESPONSE");
        assertThat(finding(warn, "SLOW_RESPONSE").severity()).isEqualTo(Severity.WARNING);
        Report crit = run(lab.url("/slow?ms=600"), "slow-warning", "100ms", "slow-critical", "300ms");
        assertThat(finding(crit, "SLOW_RESPONSE").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(codes(run(lab.url("/slow?ms=10"), "slow-warning", "300ms"))).isEmpty();
    }

    @Test
    void redirectsAreFollowedAndCounted() {
        Report r = run(lab.url("/redirect/3"));
        assertThat(codes(r)).isEmpty();
        assertThat(metric(r, "http_redirects")).isEqualTo(3);
        assertThat(metric(r, "http_status_code")).isEqualTo(200);
    }

    @Test
    void tooManyRedirectsOnALoopAndOnALongChain() {
        Report loop = run(lab.url("/loop/a"));
        Finding f = finding(loop, "TOO_MANY_REDIRECTS");
        assertThat(f.evidence()).containsEntry("loop", true).containsEntry("redirects", 5);
        Report chain = run(lab.url("/redirect/4"), "max-redirects", "2");
        assertThat(codes(chain)).containsExactly("TOO_MANY_REDIRECTS");
        assertThat(finding(chain, "TOO_MANY_REDIRECTS").evidence()).containsEntry("loop", false);
        assertThat(codes(run(lab.url("/redirect/2"), "max-redirects", "2"))).isEmpty();
    }

    // --- certificates ---

    @Test
    void expiredCertificateIsReportedWithDaysAndStillRequested() {
        Report r = https(Kind.EXPIRED, "/healthz");
        assertThat(codes(r)).as(r.toString()).containsExactly("CERT_EXPIRED");
        assertThat(metric(r, "tls_cert_expiry_days")).isBetween(-10.0, -8.0);
        assertThat(metric(r, "http_status_code")).isEqualTo(200);
    }

    @Test
    void certificateExpiringWarnsThenIsCritical() {
        Report soon = https(Kind.EXPIRING_SOON, "/healthz");
        assertThat(codes(soon)).as(soon.toString()).containsExactly("CERT_EXPIRING");
        assertThat(finding(soon, "CERT_EXPIRING").severity()).isEqualTo(Severity.CRITICAL);
        Report later = https(Kind.EXPIRING, "/healthz");
        assertThat(codes(later)).containsExactly("CERT_EXPIRING");
        assertThat(finding(later, "CERT_EXPIRING").severity()).isEqualTo(Severity.WARNING);
        assertThat(codes(https(Kind.EXPIRING, "/healthz", "cert-warning", "14d"))).isEmpty();
    }

    @Test
    void selfSignedCertificateIsUntrustedButStillInspected() {
        Report r = https(Kind.SELF_SIGNED, "/healthz");
        assertThat(codes(r)).as(r.toString()).containsExactly("CERT_UNTRUSTED");
        assertThat(finding(r, "CERT_UNTRUSTED").evidence()).containsEntry("self_signed", true);
        assertThat(metric(r, "tls_cert_expiry_days")).isGreaterThan(300);
    }

    @Test
    void privateCaIsUntrustedWithoutCaFileAndTrustedWithIt() {
        Report without = run(lab.httpsUrl(Kind.VALID, "/healthz"));
        assertThat(codes(without)).containsExactly("CERT_UNTRUSTED");
        assertThat(finding(without, "CERT_UNTRUSTED").evidence()).containsEntry("self_signed", false);
        assertThat(finding(without, "CERT_UNTRUSTED").summary()).contains("CN=opsdoc lab CA");
        assertThat(codes(https(Kind.VALID, "/healthz"))).isEmpty();
    }

    @Test
    void certificateForAnotherHostIsAMismatch() {
        Report r = https(Kind.WRONG_HOST, "/healthz");
        assertThat(codes(r)).as(r.toString()).containsExactly("HOSTNAME_MISMATCH");
        assertThat(finding(r, "HOSTNAME_MISMATCH").evidence()).containsEntry("dns_names", "wrong.example")
                .containsEntry("host", "127.0.0.1");
    }

    @Test
    void statusAndCertificateFindingsCombine() {
        Report r = https(Kind.EXPIRED, "/status/502");
        assertThat(codes(r)).containsExactlyInAnyOrder("HTTP_502", "CERT_EXPIRED");
    }

    // --- could not decide: the engine's probe errors ---

    @Test
    void closedPortIsUnreachable() {
        Report r = run(HttpLab.refusedUrl());
        assertThat(codes(r)).containsExactly("UNREACHABLE");
        assertThat(r.status()).isEqualTo(Severity.UNKNOWN);
        assertThat(r.findings().get(0).summary()).contains("refused");
    }

    @Test
    void unknownHostIsUnreachable() {
        Report r = run("http://no-such-host.invalid/");
        assertThat(codes(r)).containsExactly("UNREACHABLE");
        assertThat(r.findings().get(0).summary()).contains("DNS");
    }

    @Test
    void blackHoleTimesOutWithinTheDeadline() {
        try (SilentTcpServer hole = SilentTcpServer.start()) {
            long t0 = System.nanoTime();
            Report r = run("http://127.0.0.1:" + hole.port() + "/healthz", Map.of(), Duration.ofMillis(1500));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(codes(r)).containsExactly("TIMEOUT");
            assertThat(ms).isBetween(1400L, 2500L);
            assertThat(hole.acceptedConnections()).isPositive();
        }
    }

    @Test
    void httpsBlackHoleTimesOutToo() {
        try (SilentTcpServer hole = SilentTcpServer.start()) {
            Report r = run("https://127.0.0.1:" + hole.port() + "/", Map.of(), Duration.ofMillis(1000));
            assertThat(codes(r)).containsExactly("TIMEOUT");
        }
    }

    @Test
    void repeatedProbesAreCheap() {
        String url = lab.url("/healthz");
        for (int i = 0; i < 50; i++) {
            run(url);
        }
        int n = 500;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            assertThat(run(url).findings()).isEmpty();
        }
        double msEach = (System.nanoTime() - t0) / 1e6 / n;
        System.out.printf("http-status against the lab: %.3f ms per probe (runner included), %d probes%n", msEach, n);
        assertThat(msEach).isLessThan(20);
    }
}
