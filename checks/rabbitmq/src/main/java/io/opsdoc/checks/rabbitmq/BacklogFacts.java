package io.opsdoc.checks.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * {@code /api/queues} with the broker's own history over the window ({@code msg_rates_age}/{@code lengths_age}: for
 * each counter, samples with their timestamps, newest first), in the API's JSON.
 *
 * @param windowSeconds the window asked for; the samples say what the broker actually had
 */
public record BacklogFacts(Instant observedAt, long windowSeconds, JsonNode queues) {
}
