package io.opsdoc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.lab.http.HttpLab;
import io.opsdoc.server.alerts.AlertService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A blackbox_exporter alert, as the multi-target pattern labels it (instance = the probed URL), confirmed or not by
 * http-status against the real HTTP lab: a stopped upstream behind the reverse proxy is a 502.
 */
@Tag("lab")
class HttpAlertsLabTest {
    private static HttpLab lab;
    private static OpsdocServer server;

    @BeforeAll
    static void start() throws Exception {
        lab = HttpLab.shared();
        server = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8, OpsdocServer.DEFAULT_MAX_BODY, 0,
                Optional.empty(), new AlertService.Settings(Duration.ofSeconds(8), Duration.ofMinutes(5), 2, 100, null, "en"))
                // the alert's instance is the probed URL (blackbox's pattern): its loopback lab must be allowed
                .withProbes(ProbeService.Limits.defaults(), TargetAllowList.parse(java.util.List.of("127.0.0.0/8"))),
                null, CheckRegistry.load(), NoteCatalog.load(), Map.of());
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        lab.heal();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    @Test
    void aBadGatewayBehindTheProxyConfirmsTheBlackboxAlert() throws Exception {
        String url = lab.proxyUrl("/");
        JsonNode healthy = AlertsEndpointTest.firstResult(AlertsEndpointTest.post(server,
                AlertsEndpointTest.payload("firing", "BlackboxProbeHttpFailure", Map.of("instance", url, "job", "blackbox"))));
        assertThat(healthy.path("verdict").asText()).as(healthy.toString()).isEqualTo("not-reproducible");
        assertThat(healthy.path("check").asText()).isEqualTo("http-status");
        assertThat(healthy.path("note").path("id").asText()).isEqualTo("web/http-status");

        lab.stopUpstream();
        JsonNode broken = AlertsEndpointTest.firstResult(AlertsEndpointTest.post(server,
                AlertsEndpointTest.payload("firing", "BlackboxProbeHttpFailure", Map.of("instance", url, "job", "blackbox"))));
        assertThat(broken.path("verdict").asText()).isEqualTo("confirmed");
        assertThat(broken.path("findings").findValuesAsText("code")).contains("HTTP_502");
        assertThat(broken.path("note").path("section").asText()).isEqualTo("http-502");
    }
}
