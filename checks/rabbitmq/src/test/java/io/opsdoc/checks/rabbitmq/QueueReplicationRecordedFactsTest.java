package io.opsdoc.checks.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the lab cannot run: RabbitMQ 4.x, where an {@code ha-mode} policy is ignored. The answers are in the management
 * API's exact format (the policy as /api/policies returns it on 3.10, the overview of a 4.0 node).
 */
class QueueReplicationRecordedFactsTest {
    private static final String POLICIES = "[{\"vhost\":\"/\",\"name\":\"ha\",\"pattern\":\"^ha\\\\.\",\"apply-to\":"
            + "\"queues\",\"definition\":{\"ha-mode\":\"all\",\"ha-sync-mode\":\"manual\"},\"priority\":0}]";
    private static final String NODES = "[{\"name\":\"rabbit@a\",\"running\":true},{\"name\":\"rabbit@b\",\"running\":true},"
            + "{\"name\":\"rabbit@c\",\"running\":true}]";

    private static Evaluation evaluate(String overview, String queues, String policies) throws Exception {
        QueueReplication check = new QueueReplication();
        ReplicationFacts facts = new ReplicationFacts(Instant.parse("2026-12-04T18:00:00Z"), json(overview), json(NODES),
                json(queues), json(policies));
        return Evaluation.of(check, "rabbitmq://monitor@a:15672", facts,
                Parameters.resolve(check.id(), check.parameters(), Map.of()));
    }

    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    @Test
    void anHaPolicyOnRabbitmq4IsAWarningThatNothingIsMirrored() throws Exception {
        Evaluation e = evaluate("{\"rabbitmq_version\":\"4.0.5\",\"cluster_name\":\"rabbit@a\",\"node\":\"rabbit@a\"}",
                "[]", POLICIES);
        Finding f = e.findings().stream().filter(x -> x.code().equals("MIRRORING_POLICY_UNSUPPORTED")).findFirst().orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.summary()).contains("RabbitMQ 4.0.5 has no classic mirroring", "quorum queues");
        assertThat(f.evidence()).containsEntry("ha-mode", "all").containsEntry("rabbitmq_version", "4.0.5");
    }

    @Test
    void anHaPolicyOnRabbitmq3IsInformation() throws Exception {
        Evaluation e = evaluate("{\"rabbitmq_version\":\"3.10.8\",\"node\":\"rabbit@a\"}", "[]", POLICIES);
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("MIRRORING_POLICY_UNSUPPORTED");
            assertThat(f.severity()).isEqualTo(Severity.INFO);
        });
    }

    @Test
    void exclusiveAndAutoDeleteQueuesAreNeverExpectedDurable() throws Exception {
        // /api/queues rows as 3.10 lists a reply queue (exclusive) and a temporary subscription (auto-delete)
        String queues = "[{\"auto_delete\":false,\"durable\":false,\"exclusive\":true,\"messages\":0,\"name\":"
                + "\"amq.gen-JzTY20BRgKO-HjmUJj0wLg\",\"node\":\"rabbit@a\",\"state\":\"running\",\"type\":\"classic\","
                + "\"vhost\":\"/\"},{\"auto_delete\":true,\"durable\":false,\"exclusive\":false,\"messages\":0,\"name\":"
                + "\"events.tmp\",\"node\":\"rabbit@a\",\"state\":\"running\",\"type\":\"classic\",\"vhost\":\"/\"}]";
        Evaluation e = evaluate("{\"rabbitmq_version\":\"3.10.8\",\"node\":\"rabbit@a\"}", queues, "[]");
        assertThat(e.findings()).isEmpty();
    }
}
