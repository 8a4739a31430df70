package io.opsdoc.checks.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What the management API said about the cluster, in its own JSON: {@code /api/overview} (the node that answered,
 * its version), {@code /api/nodes} (lags by one statistics interval, ~5 s by default) and the two health checks,
 * which the node computes when asked (status 200 or 503, and the body).
 */
public record ClusterFacts(Instant observedAt, JsonNode overview, JsonNode nodes, int alarmsStatus, JsonNode alarms,
        int quorumCriticalStatus, JsonNode quorumCritical) {
}
