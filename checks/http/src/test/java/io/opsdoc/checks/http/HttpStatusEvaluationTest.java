package io.opsdoc.checks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure half of http-status on hand-made facts: edge cases the lab does not reach. */
class HttpStatusEvaluationTest {
    private static final HttpStatus CHECK = new HttpStatus();
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    static Evaluation eval(HttpFacts facts, Map<String, String> params) {
        return Evaluation.of(CHECK, facts.url(), facts, Parameters.resolve(CHECK.id(), CHECK.parameters(), params));
    }

    static List<String> codes(Evaluation e) {
        return e.findings().stream().map(Finding::code).toList();
    }

    static HttpFacts.Hop hop(String url, int status, HttpFacts.Tls tls) {
        return new HttpFacts.Hop(url, status, "HTTP/1.1", 0.05, null, null, "nginx/1.24.0", null, 10, 10L, tls);
    }

    static HttpFacts facts(HttpFacts.Hop... hops) {
        return new HttpFacts(NOW, "GET", hops[0].url(), List.of(hops), true, 5, false, 0.05 * hops.length);
    }

    static HttpFacts.Tls tls(String host, List<String> dns, List<String> ips, Duration sinceStart, Duration left) {
        return new HttpFacts.Tls(host, "TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=" + host, "CN=R11,O=Let's Encrypt",
                dns, ips, NOW.minus(sinceStart), NOW.plus(left), "ab".repeat(32), 2, true, null, false);
    }

    @Test
    void eachFiveHundredHasItsOwnCode() {
        assertThat(codes(eval(facts(hop("http://a/", 500, null)), Map.of()))).containsExactly("HTTP_500");
        assertThat(codes(eval(facts(hop("http://a/", 502, null)), Map.of()))).containsExactly("HTTP_502");
        assertThat(codes(eval(facts(hop("http://a/", 503, null)), Map.of()))).containsExactly("HTTP_503");
        assertThat(codes(eval(facts(hop("http://a/", 504, null)), Map.of()))).containsExactly("HTTP_504");
        assertThat(codes(eval(facts(hop("http://a/", 520, null)), Map.of()))).containsExactly("HTTP_5XX_OTHER");
        assertThat(codes(eval(facts(hop("http://a/", 429, null)), Map.of()))).containsExactly("UNEXPECTED_STATUS");
        assertThat(codes(eval(facts(hop("http://a/", 200, null)), Map.of()))).isEmpty();
        Finding f = eval(facts(hop("http://a/", 503, null)), Map.of()).findings().get(0);
        assertThat(f.evidence()).containsEntry("server", "nginx/1.24.0").doesNotContainKey("retry_after");
    }

    @Test
    void statusAfterRedirectsNamesTheFinalUrlAndTheRequestedOne() {
        HttpFacts.Hop first = new HttpFacts.Hop("http://a/", 301, "HTTP/1.1", 0.01, "https://a/", null, null, null, 0, 0L, null);
        Evaluation e = eval(facts(first, hop("https://a/", 502, null)), Map.of());
        Finding f = e.findings().get(0);
        assertThat(f.code()).isEqualTo("HTTP_502");
        assertThat(f.evidence()).containsEntry("url", "https://a/").containsEntry("requested_url", "http://a/")
                .containsEntry("redirects", 1);
    }

    @Test
    void expectStatusSyntax() {
        assertThat(StatusSet.parse("200-399").contains(399)).isTrue();
        assertThat(StatusSet.parse("200-399").contains(400)).isFalse();
        assertThat(StatusSet.parse("2xx, 301,404").contains(404)).isTrue();
        assertThat(StatusSet.parse("2XX").contains(204)).isTrue();
        assertThatThrownBy(() -> StatusSet.parse("200-")).hasMessageContaining("200-");
        assertThatThrownBy(() -> StatusSet.parse("399-200")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusSet.parse("ok")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void certificateThresholdsAreDaysFromTheObservationTime() {
        HttpFacts.Tls t = tls("shop.example", List.of("shop.example"), List.of(), Duration.ofDays(80), Duration.ofDays(10));
        Evaluation e = eval(facts(hop("https://shop.example/", 200, t)), Map.of());
        assertThat(codes(e)).containsExactly("CERT_EXPIRING");
        assertThat(e.findings().get(0).severity()).isEqualTo(Severity.WARNING);
        assertThat(e.metrics().stream().filter(m -> m.name().equals("tls_cert_expiry_days")).findFirst().orElseThrow().value())
                .isEqualTo(10.0);
        assertThat(codes(eval(facts(hop("https://shop.example/", 200, t)), Map.of("cert-warning", "9d")))).isEmpty();
        HttpFacts.Tls notYet = tls("shop.example", List.of("shop.example"), List.of(), Duration.ofDays(-2), Duration.ofDays(90));
        Evaluation e2 = eval(facts(hop("https://shop.example/", 200, notYet)), Map.of());
        assertThat(codes(e2)).containsExactly("CERT_EXPIRED");
        assertThat(e2.findings().get(0).summary()).contains("not valid before");
    }

    @Test
    void hostNameMatchingRules() {
        assertThat(HostnameMatch.matches("www.example.com", List.of("*.example.com"), List.of())).isTrue();
        assertThat(HostnameMatch.matches("WWW.Example.COM.", List.of("*.example.com"), List.of())).isTrue();
        assertThat(HostnameMatch.matches("example.com", List.of("*.example.com"), List.of())).isFalse();
        assertThat(HostnameMatch.matches("a.b.example.com", List.of("*.example.com"), List.of())).isFalse();
        assertThat(HostnameMatch.matches("x.com", List.of("*.com"), List.of())).isFalse();
        assertThat(HostnameMatch.matches("foo.example.com", List.of("f*.example.com"), List.of())).isFalse();
        assertThat(HostnameMatch.matches("10.0.0.1", List.of("10.0.0.1"), List.of())).as("an IP needs an iPAddress SAN").isFalse();
        assertThat(HostnameMatch.matches("10.0.0.1", List.of(), List.of("10.0.0.1"))).isTrue();
        assertThat(HostnameMatch.matches("::1", List.of(), List.of("0:0:0:0:0:0:0:1"))).isTrue();
        assertThat(HostnameMatch.matches("[2001:db8::1]", List.of(), List.of("2001:db8:0:0:0:0:0:1"))).isTrue();
        assertThat(HostnameMatch.matches("shop.example", List.of(), List.of())).isFalse();
    }

    @Test
    void everyHttpsHostOfARedirectChainIsJudgedOnce() {
        HttpFacts.Tls good = tls("a.example", List.of("a.example"), List.of(), Duration.ofDays(1), Duration.ofDays(80));
        HttpFacts.Tls bad = tls("b.example", List.of("c.example"), List.of(), Duration.ofDays(1), Duration.ofDays(80));
        HttpFacts.Hop h1 = new HttpFacts.Hop("https://a.example/", 302, "HTTP/1.1", 0.01, "https://b.example/", null, null, null, 0, 0L, good);
        Evaluation e = eval(facts(h1, hop("https://b.example/", 200, bad)), Map.of());
        assertThat(codes(e)).containsExactly("HOSTNAME_MISMATCH");
        assertThat(e.findings().get(0).summary()).contains("b.example").contains("c.example");
    }

    @Test
    void untrustedSaysWhy() {
        HttpFacts.Tls t = new HttpFacts.Tls("intranet", "TLSv1.2", "x", "CN=intranet", "CN=Corp CA", List.of("intranet"),
                List.of(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(300)), "00".repeat(32), 1, false,
                "no chain from the certificate to a trusted root", false);
        Finding f = eval(facts(hop("https://intranet/", 200, t)), Map.of()).findings().get(0);
        assertThat(f.code()).isEqualTo("CERT_UNTRUSTED");
        assertThat(f.evidence()).containsEntry("chain_length", 1).containsEntry("ca-file", "(none: JVM trust store only)");
    }

    @Test
    void redirectLimitReportsTheChainAndNoStatusFinding() {
        HttpFacts.Hop a = new HttpFacts.Hop("http://a/x", 302, "HTTP/1.1", 0.01, "/y", null, null, null, 0, 0L, null);
        HttpFacts.Hop b = new HttpFacts.Hop("http://a/y", 302, "HTTP/1.1", 0.01, "/z", null, null, null, 0, 0L, null);
        HttpFacts f = new HttpFacts(NOW, "HEAD", "http://a/x", List.of(a, b), true, 1, true, 0.02);
        Evaluation e = eval(f, Map.of());
        assertThat(codes(e)).containsExactly("TOO_MANY_REDIRECTS");
        assertThat(e.findings().get(0).evidence()).containsEntry("loop", false)
                .containsEntry("chain", "302 http://a/x -> 302 http://a/y");
    }

    @Test
    void factsRoundTripThroughJsonForReplay() throws Exception {
        HttpFacts.Tls t = tls("shop.example", List.of("shop.example"), List.of("10.0.0.1"), Duration.ofDays(1), Duration.ofDays(3));
        HttpFacts f = facts(hop("https://shop.example/", 504, t));
        HttpFacts back = Json.mapper().readValue(Json.mapper().writeValueAsString(f), HttpFacts.class);
        assertThat(back).isEqualTo(f);
        assertThat(codes(eval(back, Map.of()))).containsExactly("HTTP_504", "CERT_EXPIRING");
    }

    @Test
    void targetsAreValidatedBeforeAnyConnection() {
        assertThatThrownBy(() -> CHECK.validate(Target.parse("https://u@shop.example/"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("sends no credentials");
        assertThatThrownBy(() -> CHECK.validate(Target.parse("http://a:80,b:80/"))).isInstanceOf(UsageException.class);
        assertThat(HttpProbe.uri(Target.parse("https://shop.example:8443/a%20b?q=1&r=x%2Fy#frag")).toString())
                .isEqualTo("https://shop.example:8443/a%20b?q=1&r=x%2Fy");
        assertThat(HttpProbe.uri(Target.parse("http://shop.example")).toString()).isEqualTo("http://shop.example/");
        assertThat(CHECK.targetSchemes()).containsExactly("http", "https");
    }
}
