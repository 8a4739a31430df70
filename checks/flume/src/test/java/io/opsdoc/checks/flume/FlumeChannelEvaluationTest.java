package io.opsdoc.checks.flume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * flume-channel's evaluation on /metrics answers in Flume 1.11's exact format (every value a string), for the paths
 * the lab's faults do not take: a sink that fails now and then but still delivers, an agent restarted between the two
 * readings, an agent that runs no flow, and answers that are not Flume's.
 */
class FlumeChannelEvaluationTest {
    private static final URI URL = URI.create("http://agent1:41414/metrics");

    /** The shape of a 1.11 agent's answer (http source r1, memory channel c1, avro sink k1), with chosen counters. */
    private static String metrics(long put, long take, long size, long connectFailed, long writeFail, long drained,
            long received, String startTime) {
        return "{\"SINK.k1\":{\"ConnectionCreatedCount\":\"3\",\"BatchCompleteCount\":\"12\",\"EventWriteFail\":\""
                + writeFail + "\",\"BatchEmptyCount\":\"40\",\"EventDrainAttemptCount\":\"" + drained + "\","
                + "\"StartTime\":\"" + startTime + "\",\"BatchUnderflowCount\":\"30\",\"ChannelReadFail\":\"0\","
                + "\"ConnectionFailedCount\":\"" + connectFailed + "\",\"Type\":\"SINK\",\"ConnectionClosedCount\":\"2\","
                + "\"EventDrainSuccessCount\":\"" + drained + "\",\"StopTime\":\"0\"},"
                + "\"CHANNEL.c1\":{\"ChannelCapacity\":\"10000\",\"ChannelFillPercentage\":\"" + (size / 100.0) + "\","
                + "\"Type\":\"CHANNEL\",\"ChannelSize\":\"" + size + "\",\"EventTakeSuccessCount\":\"" + take + "\","
                + "\"EventTakeAttemptCount\":\"" + (take + 50) + "\",\"StartTime\":\"" + startTime + "\","
                + "\"EventPutAttemptCount\":\"" + put + "\",\"EventPutSuccessCount\":\"" + put + "\",\"StopTime\":\"0\"},"
                + "\"SOURCE.r1\":{\"AppendBatchAcceptedCount\":\"0\",\"GenericProcessingFail\":\"0\","
                + "\"EventAcceptedCount\":\"" + received + "\",\"AppendReceivedCount\":\"0\",\"StartTime\":\"" + startTime
                + "\",\"AppendBatchReceivedCount\":\"0\",\"ChannelWriteFail\":\"0\",\"EventReceivedCount\":\"" + received
                + "\",\"Type\":\"SOURCE\",\"EventReadFail\":\"0\",\"AppendAcceptedCount\":\"0\",\"OpenConnectionCount\":\"0\","
                + "\"StopTime\":\"0\"}}";
    }

    private static Evaluation evaluate(String first, String second, long windowMs) throws ProbeException {
        FlumeChannel check = new FlumeChannel();
        FlumeFacts facts = new FlumeFacts(URL.toString(), FlumeHttp.parse(first, URL),
                second == null ? null : FlumeHttp.parse(second, URL), windowMs);
        return Evaluation.of(check, "flume://agent1:41414", facts, Parameters.resolve(check.id(), check.parameters(), Map.of()));
    }

    private static List<Finding> findings(Evaluation e, String code) {
        return e.findings().stream().filter(f -> f.code().equals(code)).toList();
    }

    @Test
    void aSinkThatFailsNowAndThenButStillDeliversWarns() throws ProbeException {
        Evaluation e = evaluate(metrics(5000, 4990, 10, 4, 4, 4990, 5000, "1796418704432"),
                metrics(5600, 5590, 10, 5, 5, 5590, 5600, "1796418704432"), 6000);
        Finding sink = findings(e, "SINK_FAILING").get(0);
        assertThat(sink.severity()).isEqualTo(Severity.WARNING);
        assertThat(sink.summary()).contains("sink k1", "1 failed connection(s)", "600 events still delivered");
        assertThat(sink.evidence()).containsEntry("connection_failures_in_window", 1L).containsEntry("drained_in_window", 600L);
        assertThat(findings(e, "CHANNEL_FILLING")).isEmpty();
        assertThat(findings(e, "SOURCE_STALLED")).isEmpty();
    }

    @Test
    void aChannelAtEightyFivePercentWarnsAndItsGrowthIsFilling() throws ProbeException {
        Evaluation e = evaluate(metrics(20000, 11000, 8000, 0, 0, 11000, 20000, "1"),
                metrics(21000, 11500, 8500, 0, 0, 11500, 21000, "1"), 6000);
        Finding fill = findings(e, "CHANNEL_FILL_HIGH").get(0);
        assertThat(fill.severity()).isEqualTo(Severity.WARNING);
        assertThat(fill.evidence()).containsEntry("ChannelFillPercentage", 85.0).containsEntry("fill-warning", "80%");
        Finding filling = findings(e, "CHANNEL_FILLING").get(0);
        assertThat(filling.summary()).contains("grew by 500 events", "full in about 18 s");
    }

    @Test
    void anAgentRestartedBetweenTheReadingsIsNotJudgedOnNegativeCounts() throws ProbeException {
        Evaluation e = evaluate(metrics(90000, 89990, 10, 7, 7, 89990, 90000, "1"),
                metrics(120, 100, 20, 0, 0, 100, 120, "2"), 6000);
        assertThat(e.findings()).extracting(Finding::code).doesNotContain("CHANNEL_FILLING", "SINK_FAILING", "SOURCE_STALLED");
    }

    @Test
    void withoutASecondReadingOnlyTheFillIsJudged() throws ProbeException {
        Evaluation e = evaluate(metrics(20000, 10000, 9700, 3, 3, 10000, 20000, "1"), null, 0);
        assertThat(findings(e, "CHANNEL_FILL_HIGH").get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(e.findings()).extracting(Finding::code).doesNotContain("SINK_FAILING", "SOURCE_STALLED");
    }

    @Test
    void anAgentWithNoFlowIsUnknown() throws ProbeException {
        Evaluation e = evaluate("{}", "{}", 6000);
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(ProbeErrors.PROBE_FAILED.code());
            assertThat(f.severity()).isEqualTo(Severity.UNKNOWN);
            assertThat(f.summary()).contains("-n name");
        });
    }

    @Test
    void answersThatAreNotFlumesAreProtocolErrors() {
        assertThatThrownBy(() -> FlumeHttp.parse("<html>hello</html>", URL)).isInstanceOf(ProbeException.class)
                .satisfies(t -> assertThat(((ProbeException) t).code()).isEqualTo(ProbeErrors.PROTOCOL_ERROR));
        assertThatThrownBy(() -> FlumeHttp.parse("{\"status\":\"UP\"}", URL)).isInstanceOf(ProbeException.class)
                .satisfies(t -> assertThat(((ProbeException) t).code()).isEqualTo(ProbeErrors.PROTOCOL_ERROR));
    }
}
