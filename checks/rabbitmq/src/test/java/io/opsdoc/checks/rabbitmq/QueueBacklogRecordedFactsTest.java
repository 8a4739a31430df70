package io.opsdoc.checks.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Parameters;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rate and growth arithmetic on the broker's samples, in the exact shape RabbitMQ 3.10 returns them for
 * {@code /api/queues?msg_rates_age=..&lengths_age=..} (newest sample first, millisecond timestamps).
 */
class QueueBacklogRecordedFactsTest {
    // the shape the lab's 3.10 cluster returns for a queue receiving 40 msg/s and delivering 10 msg/s (values rounded,
    // four 5 s samples)
    private static final String INGEST = "[{\"consumers\":1,\"head_message_timestamp\":null,\"messages\":610,"
            + "\"messages_ready\":609,\"messages_unacknowledged\":1,\"name\":\"ingest\",\"node\":\"rabbit1@localhost\","
            + "\"type\":\"classic\",\"vhost\":\"/\",\"message_stats\":{\"publish\":810,\"publish_details\":{\"avg\":610.0,"
            + "\"avg_rate\":40.0,\"rate\":40.0,\"samples\":[{\"sample\":810,\"timestamp\":1796408315000},{\"sample\":610,"
            + "\"timestamp\":1796408310000},{\"sample\":410,\"timestamp\":1796408305000},{\"sample\":210,\"timestamp\":"
            + "1796408300000}]},\"deliver_get\":201,\"deliver_get_details\":{\"avg\":151.0,\"avg_rate\":10.0,\"rate\":10.0,"
            + "\"samples\":[{\"sample\":201,\"timestamp\":1796408315000},{\"sample\":151,\"timestamp\":1796408310000},"
            + "{\"sample\":101,\"timestamp\":1796408305000},{\"sample\":51,\"timestamp\":1796408300000}]}},"
            + "\"messages_details\":{\"avg\":460.0,\"avg_rate\":30.0,\"rate\":30.0,\"samples\":[{\"sample\":610,"
            + "\"timestamp\":1796408315000},{\"sample\":460,\"timestamp\":1796408310000},{\"sample\":310,\"timestamp\":"
            + "1796408305000},{\"sample\":160,\"timestamp\":1796408300000}]}}]";

    private static Evaluation evaluate(String queues, Map<String, String> params) throws Exception {
        QueueBacklog check = new QueueBacklog();
        BacklogFacts facts = new BacklogFacts(Instant.ofEpochSecond(1796408316L), 20, Json.mapper().readTree(queues));
        return Evaluation.of(check, "rabbitmq://monitor@a:15672", facts,
                Parameters.resolve(check.id(), check.parameters(), params));
    }

    @Test
    void ratesComeFromTheOldestAndNewestSampleInTheWindow() throws Exception {
        Evaluation e = evaluate(INGEST, Map.of("growth-min", "100"));
        Finding rate = e.findings().stream().filter(f -> f.code().equals("CONSUME_RATE_BELOW_PUBLISH")).findFirst().orElseThrow();
        assertThat(rate.summary()).contains("received 40.0 msg/s and delivered 10.0 msg/s over the last 15 s");
        Finding growth = e.findings().stream().filter(f -> f.code().equals("BACKLOG_GROWING")).findFirst().orElseThrow();
        assertThat(growth.summary()).contains("/ingest grew by 450 messages in 15 s, to 610");
        assertThat(e.findings()).extracting(Finding::code).doesNotContain("NO_CONSUMERS", "HEAD_MESSAGE_OLD");
    }

    @Test
    void aQueueWithOneSampleHasNoRate() throws Exception {
        String young = INGEST.replaceAll("\\},\\{\"sample\":[0-9]+,\"timestamp\":[0-9]+", "");
        Evaluation e = evaluate(young, Map.of("growth-min", "100"));
        assertThat(e.findings()).extracting(Finding::code).doesNotContain("CONSUME_RATE_BELOW_PUBLISH", "BACKLOG_GROWING");
    }

    @Test
    void ignoredQueuesDecideNothing() throws Exception {
        Evaluation e = evaluate(INGEST, Map.of("growth-min", "100", "ignore-queues", "/ing.*"));
        assertThat(e.findings()).isEmpty();
    }
}
