package io.opsdoc.checks.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * VERSION_SKEW, which the lab cannot produce (Debian installs one RabbitMQ). {@code nodes-mid-upgrade.json} is the
 * {@code /api/nodes} answer of a real 3.10.8 node, with the columns the check asks for, copied to three node names; the
 * third copy's RabbitMQ applications are set to 3.11.28 as a node upgraded first would list them.
 */
class RabbitClusterRecordedFactsTest {

    private static Evaluation evaluate(JsonNode nodes) throws Exception {
        RabbitCluster check = new RabbitCluster();
        JsonNode overview = Json.mapper().readTree("{\"rabbitmq_version\":\"3.10.8\",\"cluster_name\":\"rabbit@mq1\","
                + "\"erlang_version\":\"25.2.3\",\"node\":\"rabbit@mq1\"}");
        JsonNode ok = Json.mapper().readTree("{\"status\":\"ok\"}");
        ClusterFacts facts = new ClusterFacts(Instant.parse("2026-12-04T18:00:00Z"), overview, nodes, 200, ok, 200, ok);
        return Evaluation.of(check, "rabbitmq://monitor@mq1:15672", facts,
                Parameters.resolve(check.id(), check.parameters(), Map.of()));
    }

    private static JsonNode nodes() throws Exception {
        try (InputStream in = RabbitClusterRecordedFactsTest.class.getResourceAsStream("/rabbitmq/nodes-mid-upgrade.json")) {
            return Json.mapper().readTree(in);
        }
    }

    @Test
    void nodesOnDifferentVersionsAreAVersionSkew() throws Exception {
        Evaluation e = evaluate(nodes());
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("VERSION_SKEW");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.summary()).contains("2 RabbitMQ versions (3.10.8, 3.11.28)", "rabbit@mq3=3.11.28");
            assertThat(f.evidence().get("versions")).isEqualTo(
                    Map.of("rabbit@mq1", "3.10.8", "rabbit@mq2", "3.10.8", "rabbit@mq3", "3.11.28"));
        });
    }

    @Test
    void oneVersionEverywhereIsNoFinding() throws Exception {
        JsonNode same = nodes();
        ((com.fasterxml.jackson.databind.node.ArrayNode) same).remove(2);
        Evaluation e = evaluate(same);
        assertThat(e.findings()).extracting(Finding::code).doesNotContain("VERSION_SKEW");
        assertThat(e.findings()).isEmpty();
    }
}
