package io.opsdoc.lab.flume;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;

/**
 * Apache Flume 1.11 (from Maven Central, a child JVM): an agent fed over its http source, delivering through an avro
 * sink to a next hop that the lab takes away, with the channel filled to capacity and the feed stopped.
 */
public final class FlumeScenarios implements ScenarioSet<FlumeLab> {
    private static final String CHECK = "flume-channel";

    @Override
    public String system() {
        return "flume";
    }

    @Override
    public String description() {
        return "an Apache Flume 1.11 agent (http source -> memory channel -> avro sink -> next hop -> avro source -> "
                + "null sink), fed 20 events/s";
    }

    @Override
    public List<LabVariant<FlumeLab>> variants() {
        return List.of(new LabVariant<>("1.11", FlumeLab::unavailable, FlumeLab::start, FlumeLab::shared));
    }

    @Override
    public List<Scenario<FlumeLab>> scenarios() {
        return List.of(
                agent("flume-healthy", "events flow from the http source through the avro sink to the next hop")
                        .healthy().param("window", "5s")
                        .metrics("flume_channel_fill_percent", "flume_channel_puts_per_second",
                                "flume_sink_drained_per_second", "flume_source_events_per_second").build(),
                // 7 s: the sink runner retries a failed sink every 5 s, so the window must span one retry
                agent("flume-next-hop-down", "the downstream agent the avro sink delivers to went away while the "
                        + "application keeps sending").breaks(FlumeLab::nextHopDown).param("window", "7s")
                        .expect(code("SINK_FAILING").severity(CRITICAL).evidence("sink", "k1")
                                .evidence("drained_in_window", 0).says("no event delivered"))
                        .expect(code("CHANNEL_FILLING").severity(WARNING).evidence("channel", "c1")
                                .evidence("takes_in_window", 0).says("full in about"))
                        .absent("CHANNEL_FILL_HIGH").build(),
                agent("flume-channel-full", "the next hop is down and a burst filled the memory channel: the http "
                        + "source answers 503").breaks(FlumeLab::channelFull).param("window", "3s")
                        .expect(code("CHANNEL_FILL_HIGH").severity(CRITICAL).evidence("channel", "c1")
                                .evidence("ChannelFillPercentage", 100.0).says("every put fails"))
                        .absent("CHANNEL_FILLING").build(),
                agent("flume-source-idle", "the application stopped sending to the agent's http source")
                        .breaks(FlumeLab::stopFeeding).param("window", "3s")
                        .expect(code("SOURCE_STALLED").severity(INFO).evidence("source", "r1"))
                        .absent("SINK_FAILING", "CHANNEL_FILLING", "CHANNEL_FILL_HIGH").build());
    }

    private static Scenario.Builder<FlumeLab> agent(String id, String story) {
        return Scenario.<FlumeLab>of(id, story).checks(CHECK).target(FlumeLab::target).timeout(Duration.ofSeconds(15));
    }
}
