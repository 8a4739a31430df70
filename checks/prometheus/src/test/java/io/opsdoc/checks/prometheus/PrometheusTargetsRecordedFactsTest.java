package io.opsdoc.checks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PROMETHEUS_NOT_READY on the answer Prometheus 2.42 gives while it opens its TSDB at start-up (web/web.go's
 * readiness wrapper: status 503, body "Service Unavailable"), served byte-exactly and read through the check's own
 * collect: the lab's Prometheus is ready in well under a second, too short a window to probe.
 */
class PrometheusTargetsRecordedFactsTest {

    @Test
    void aPrometheusStillStartingIsNotReadyAndNothingElseIsRead() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            byte[] body = "Service Unavailable".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(503, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            PrometheusTargets check = new PrometheusTargets();
            Parameters p = Parameters.resolve(check.id(), check.parameters(), Map.of("expected-jobs", "node-exporter"));
            Target t = Target.parse("prometheus://127.0.0.1:" + server.getAddress().getPort());
            PrometheusFacts facts = check.collect(new CheckContext(t, Optional.empty(), p, Instant.now().plusSeconds(5)));
            Evaluation e = Evaluation.of(check, t.display(), facts, p);
            Finding f = e.findings().get(0);
            assertThat(e.findings()).hasSize(1);
            assertThat(f.code()).isEqualTo("PROMETHEUS_NOT_READY");
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.evidence()).containsEntry("status", 503).containsEntry("body", "Service Unavailable");
            assertThat(f.summary()).contains("answered 503", "WAL");
            // not ready: neither the targets nor EXPORTER_MISSING is judged on an API that is not serving yet
            assertThat(paths).containsExactly("/-/ready");
        } finally {
            server.stop(0);
        }
    }
}
