package io.opsdoc.checks.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * {@code /api/overview} (version), {@code /api/nodes} (names and whether running), {@code /api/queues} with the
 * replication columns (quorum: {@code members}, {@code online}, {@code leader}; classic mirrored:
 * {@code slave_nodes}, {@code synchronised_slave_nodes}) and {@code /api/policies}, in the API's own JSON.
 */
public record ReplicationFacts(Instant observedAt, JsonNode overview, JsonNode nodes, JsonNode queues, JsonNode policies) {
}
