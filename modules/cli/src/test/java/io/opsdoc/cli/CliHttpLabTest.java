package io.opsdoc.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Json;
import io.opsdoc.lab.http.HttpLab;
import io.opsdoc.lab.http.LabCertificates.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `opsdoc check http-status` end to end against the HTTP lab (origin, reverse proxy, HTTPS). */
@Tag("lab")
class CliHttpLabTest {
    private static HttpLab lab;

    @BeforeAll
    static void startLab() {
        lab = HttpLab.shared();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    @Test
    void healthyUrlExitsZeroWithPerfdata() {
        Cli c = Cli.run("check", "http-status", lab.url("/healthz?probe=1"), "--format", "nagios");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).startsWith("HTTP-STATUS OK - no findings |").contains("http_status_code=200");
    }

    @Test
    void upstreamStoppedBehindTheProxyIsA502WithTheNoteExcerpt() {
        lab.stopUpstream();
        Cli c = Cli.run("check", "http-status", lab.proxyUrl("/healthz"));
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        assertThat(c.out().lines().findFirst().orElseThrow()).startsWith("CRITICAL http-status on " + lab.proxyUrl("/healthz")
                + ": HTTP_502");
        assertThat(c.out()).contains("more:     opsdoc explain http-status#HTTP_502")
                .contains("Bad Gateway");
        assertThat(c.clean()).as(c.all()).isTrue();
    }

    @Test
    void expiredCertificateInJsonCarriesTheDaysAndTheNote() throws Exception {
        Cli c = Cli.run("check", "http-status", lab.httpsUrl(Kind.EXPIRED, "/healthz"), "--set",
                "ca-file=" + lab.caFile(), "--format", "json");
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        JsonNode report = Json.mapper().readTree(c.out()).get("reports").get(0);
        JsonNode f = report.get("findings").get(0);
        assertThat(f.get("code").asText()).isEqualTo("CERT_EXPIRED");
        assertThat(f.get("note").asText()).isEqualTo("web/http-status#cert-expired");
        assertThat(f.get("evidence").get("days_left").asDouble()).isBetween(-10.0, -8.0);
    }

    @Test
    void refusedPortIsUnknownExitThree() {
        Cli c = Cli.run("check", "http-status", HttpLab.refusedUrl(), "--timeout", "3s");
        assertThat(c.exit()).as(c.all()).isEqualTo(3);
        assertThat(c.out()).contains("UNREACHABLE").contains("refused");
        assertThat(c.clean()).as(c.all()).isTrue();
    }

    @Test
    void grantsSayNothingIsNeeded() {
        Cli c = Cli.run("grants", "http-status");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("http:// and https:// targets, for http-status").contains("no credentials");
    }

    @Test
    void wrongSchemeAndCredentialsInTheUrlAreUsageErrors() {
        Cli c = Cli.run("check", "http-status", "mysql://db1:3306");
        assertThat(c.exit()).as(c.all()).isEqualTo(64);
        assertThat(c.err()).contains("runs on http:// or https:// targets");
        Cli u = Cli.run("check", "http-status", "https://admin@shop.example/");
        assertThat(u.exit()).as(u.all()).isEqualTo(64);
    }

    @Test
    void explainWorksOfflineInBothLanguages() {
        Cli c = Cli.run("explain", "http-status#HTTP_504");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("proxy_read_timeout");
        Cli zh = Cli.run("explain", "http-status#HTTP_503", "--lang", "zh");
        assertThat(zh.exit()).as(zh.all()).isZero();
        assertThat(zh.out()).contains("limit_req");
    }
}
