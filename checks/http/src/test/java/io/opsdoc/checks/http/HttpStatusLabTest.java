package io.opsdoc.checks.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Target;
import io.opsdoc.lab.http.HttpLab;
import io.opsdoc.lab.http.LabCertificates.Kind;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the scenarios ({@code HttpScenarios}) cannot say as data: the values of the metrics (days left, redirects
 * counted, bytes read, the proxy's own timeout), how long a probe of a black hole takes, and what a probe costs.
 * Every fault-to-code promise is a scenario, run by {@link HttpScenariosTest}.
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
    Report https(Kind kind, String path) {
        return run(lab.httpsUrl(kind, path), "ca-file", lab.caFile().toString());
    }

    static List<String> codes(Report r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    static double metric(Report r, String name) {
        return r.metrics().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + r.metrics())).value();
    }

    @Test
    void healthyHttpMetricsSayWhatWasRead() {
        Report r = run(lab.url("/healthz"));
        assertThat(r.findings()).as(r.toString()).isEmpty();
        assertThat(metric(r, "http_status_code")).isEqualTo(200);
        assertThat(metric(r, "http_redirects")).isZero();
        assertThat(metric(r, "http_content_length")).isEqualTo(3);
        assertThat(metric(r, "http_duration_seconds")).isLessThan(1);
    }

    @Test
    void headReadsNoBody() {
        Report r = run(lab.url("/healthz"), "method", "HEAD");
        assertThat(r.findings()).as(r.toString()).isEmpty();
        assertThat(metric(r, "http_content_length")).isZero();
    }

    @Test
    void redirectsAreCountedAndTheLastStatusReported() {
        Report r = run(lab.url("/redirect/3"));
        assertThat(codes(r)).isEmpty();
        assertThat(metric(r, "http_redirects")).isEqualTo(3);
        assertThat(metric(r, "http_status_code")).isEqualTo(200);
    }

    @Test
    void theProxyGivesUpAfterItsOwnTimeoutNotOurs() {
        Report r = run(lab.proxyUrl("/slow?ms=3000"));
        assertThat(codes(r)).as(r.toString()).contains("HTTP_504");
        assertThat(metric(r, "http_duration_seconds")).isBetween(0.9, 2.5);
    }

    @Test
    void certificateDaysLeftAreMeasuredEvenWhenTheCertificateIsBad() {
        assertThat(metric(https(Kind.VALID, "/healthz"), "tls_cert_expiry_days")).isBetween(330.0, 336.0);
        Report expired = https(Kind.EXPIRED, "/healthz");
        assertThat(metric(expired, "tls_cert_expiry_days")).isBetween(-10.0, -8.0);
        // the request is still made: the status behind an expired certificate is known
        assertThat(metric(expired, "http_status_code")).isEqualTo(200);
        Report selfSigned = run(lab.httpsUrl(Kind.SELF_SIGNED, "/healthz"));
        assertThat(metric(selfSigned, "tls_cert_expiry_days")).isGreaterThan(300);
    }

    @Test
    void blackHoleTimesOutWithinTheDeadline() {
        long t0 = System.nanoTime();
        Report r = run(lab.blackHoleUrl("http", "/healthz"), Map.of(), Duration.ofMillis(1500));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(codes(r)).containsExactly("TIMEOUT");
        assertThat(ms).isBetween(1400L, 2500L);
        assertThat(lab.blackHoleConnections()).isPositive();
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
