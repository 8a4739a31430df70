package io.opsdoc.checks.flume;

import static io.opsdoc.checks.flume.ChannelCode.CHANNEL_FILLING;
import static io.opsdoc.checks.flume.ChannelCode.CHANNEL_FILL_HIGH;
import static io.opsdoc.checks.flume.ChannelCode.SINK_FAILING;
import static io.opsdoc.checks.flume.ChannelCode.SOURCE_STALLED;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Is a Flume agent moving its events? Reads the agent's {@code /metrics} (the JSON of its HTTP monitoring server)
 * twice, a window apart. Events leave a channel only when a sink has delivered them, so a channel that fills is the
 * sign of a sink that cannot deliver: the fill percentage now, the channel's growth over the window (takes below
 * puts), the sinks' failed connections and deliveries over the window, and sources that saw no event.
 */
public final class FlumeChannel extends DescribedCheck<FlumeFacts> {
    public static final String ID = "flume-channel";
    static final String NOTE = "flume/agent";
    /** Flume's HTTPMetricsServer listens here unless -Dflume.monitoring.port says otherwise. */
    static final int DEFAULT_PORT = 41414;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "6s",
                    "time between the two readings; a failing sink retries about every 5 s (Flume's sink runner backs "
                            + "off 5 s after a failed delivery), so a shorter window can miss its failures; fitted "
                            + "into --timeout (the evidence shows window_ms)"),
            new ParameterSpec("fill-warning", ParameterType.PERCENT, "80%",
                    "ChannelFillPercentage at which a channel warns"),
            new ParameterSpec("fill-critical", ParameterType.PERCENT, "95%",
                    "ChannelFillPercentage that is critical (at 100% the sources' puts fail and their clients are refused)"),
            new ParameterSpec("filling-min-growth", ParameterType.PERCENT, "5%",
                    "growth of a channel over the window, as a share of its capacity, from which takes below puts "
                            + "count as filling (sinks take in batches, so a healthy channel wobbles by a batch)"));

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("Flume 1.x agent with HTTP monitoring", List.of(
            "# start the agent with -Dflume.monitoring.type=http -Dflume.monitoring.port=41414",
            "# (flume-ng agent ... -Dflume.monitoring.type=http, or JAVA_OPTS in flume-env.sh)"),
            "no credentials: two GETs of /metrics, which shows counters only. Flume's monitoring server binds every "
                    + "interface and has no login: allow only the monitoring hosts to its port (firewall)."));

    public FlumeChannel() {
        super(ID, "flume", "Is the Flume agent's channel filling, a sink failing, or a source idle?", FlumeFacts.class,
                PARAMETERS, ChannelCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        if (target.hosts().size() != 1) {
            throw new UsageException("check " + ID + " needs one agent's monitoring port, e.g. flume://agent1:41414, "
                    + "not " + target.display());
        }
    }

    static URI url(Target target) {
        String path = target.path().isEmpty() || target.path().equals("/") ? "/metrics" : target.path();
        return URI.create("http://" + target.host().host() + ":" + target.host().portOr(DEFAULT_PORT) + path);
    }

    @Override
    public FlumeFacts collect(CheckContext context) throws Exception {
        URI url = url(context.target());
        Map<String, Map<String, String>> first = FlumeHttp.read(context, url);
        Duration window = SamplingWindow.fit(context.parameters().duration("window"), context.remaining());
        long t0 = System.nanoTime();
        if (window.isZero()) {
            return new FlumeFacts(url.toString(), first, null, 0);
        }
        Thread.sleep(window.toMillis());
        Map<String, Map<String, String>> second = FlumeHttp.read(context, url);
        return new FlumeFacts(url.toString(), first, second, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void evaluate(FlumeFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, Map<String, String>> last = facts.last();
        if (last.keySet().stream().noneMatch(k -> k.startsWith("CHANNEL.") || k.startsWith("SINK.")
                || k.startsWith("SOURCE."))) {
            out.finding(ProbeErrors.PROBE_FAILED.code(), Severity.UNKNOWN, facts.url() + " lists no source, channel "
                    + "or sink: the agent runs no flow (is its -n name the one its configuration file uses?) or its "
                    + "components have not started", Evidence.of("url", facts.url(), "components", last.keySet()));
            return;
        }
        boolean windowed = facts.second() != null && facts.windowMs() > 0;
        double secs = facts.windowMs() / 1000.0;
        if (windowed) {
            out.metric(Metric.of("flume_window_seconds", round(secs), "s"));
        }
        for (Map.Entry<String, Map<String, String>> c : last.entrySet()) {
            String component = c.getKey();
            Map<String, String> before = windowed ? facts.first().get(component) : null;
            if (component.startsWith("CHANNEL.")) {
                channel(name(component), c.getValue(), before, secs, p, out);
            } else if (component.startsWith("SINK.")) {
                sink(name(component), c.getValue(), before, secs, out);
            } else if (component.startsWith("SOURCE.")) {
                source(name(component), c.getValue(), before, secs, out);
            }
        }
    }

    private static void channel(String name, Map<String, String> now, Map<String, String> before, double secs,
            Parameters p, Evaluation.Builder out) {
        double capacity = number(now, "ChannelCapacity");
        double size = number(now, "ChannelSize");
        double fill = number(now, "ChannelFillPercentage");
        if (Double.isNaN(fill) && capacity > 0 && !Double.isNaN(size)) {
            fill = 100.0 * size / capacity;
        }
        Map<String, String> labels = Map.of("channel", name);
        if (!Double.isNaN(size)) {
            out.metric(new Metric("flume_channel_size", size, "", labels, null, null));
        }
        if (!Double.isNaN(fill)) {
            out.metric(new Metric("flume_channel_fill_percent", round(fill), "%", labels, p.percent("fill-warning"),
                    p.percent("fill-critical")));
            if (fill >= p.percent("fill-warning")) {
                boolean critical = fill >= p.percent("fill-critical");
                String threshold = critical ? "fill-critical" : "fill-warning";
                out.finding(CHANNEL_FILL_HIGH, critical ? Severity.CRITICAL : Severity.WARNING, "channel " + name
                        + " is " + pct(fill) + " full (" + (long) size + " of " + (long) capacity + " events; "
                        + threshold + " " + p.raw().get(threshold) + "): its sinks are not delivering as fast as "
                        + "its sources put" + (fill >= 100 ? "; it is full, so every put fails and the sources refuse "
                        + "or drop what their clients send" : "; when it is full, puts fail and the sources refuse "
                        + "their clients"),
                        Evidence.of("channel", name, "ChannelFillPercentage", round(fill), "ChannelSize", (long) size,
                                "ChannelCapacity", (long) capacity, threshold, p.raw().get(threshold)), name);
            }
        }
        if (before == null) {
            return;
        }
        double puts = delta(now, before, "EventPutSuccessCount");
        double takes = delta(now, before, "EventTakeSuccessCount");
        double grew = delta(now, before, "ChannelSize");
        if (Double.isNaN(puts) || Double.isNaN(takes) || Double.isNaN(grew) || puts < 0 || takes < 0) {
            return; // the agent restarted between the readings: no rate to judge
        }
        out.metric(new Metric("flume_channel_puts_per_second", round(puts / secs), "1/s", labels, null, null));
        out.metric(new Metric("flume_channel_takes_per_second", round(takes / secs), "1/s", labels, null, null));
        double minGrowth = capacity > 0 ? capacity * p.percent("filling-min-growth") / 100.0 : 1;
        if (grew > 0 && takes < puts && grew >= minGrowth) {
            double perSecond = grew / secs;
            double left = capacity > 0 && !Double.isNaN(size) ? Math.max(0, capacity - size) : Double.NaN;
            long toFull = Double.isNaN(left) ? -1 : Math.round(left / perSecond);
            out.finding(CHANNEL_FILLING, Severity.WARNING, "channel " + name + " grew by " + (long) grew + " events in "
                    + Math.round(secs * 1000) + " ms: its sinks took " + (long) takes + " while its sources put "
                    + (long) puts + (toFull >= 0 ? "; at this pace it is full in about " + toFull + " s" : "")
                    + ", then puts fail",
                    Evidence.of("channel", name, "puts_in_window", (long) puts, "takes_in_window", (long) takes,
                            "growth_in_window", (long) grew, "ChannelSize", (long) size, "ChannelCapacity",
                            (long) capacity, "seconds_to_full", toFull, "window_ms", Math.round(secs * 1000),
                            "filling-min-growth", p.raw().get("filling-min-growth")), name);
        }
    }

    private static void sink(String name, Map<String, String> now, Map<String, String> before, double secs,
            Evaluation.Builder out) {
        Map<String, String> labels = Map.of("sink", name);
        double failedTotal = number(now, "ConnectionFailedCount");
        if (!Double.isNaN(failedTotal)) {
            out.metric(new Metric("flume_sink_connection_failures_total", failedTotal, "", labels, null, null));
        }
        if (before == null) {
            return;
        }
        double drained = delta(now, before, "EventDrainSuccessCount");
        double connectFailures = delta(now, before, "ConnectionFailedCount");
        double writeFailures = delta(now, before, "EventWriteFail"); // Flume 1.10+
        if (!Double.isNaN(drained) && drained >= 0) {
            out.metric(new Metric("flume_sink_drained_per_second", round(drained / secs), "1/s", labels, null, null));
        }
        long connect = Double.isNaN(connectFailures) || connectFailures < 0 ? 0 : (long) connectFailures;
        long write = Double.isNaN(writeFailures) || writeFailures < 0 ? 0 : (long) writeFailures;
        if (connect == 0 && write == 0) {
            return;
        }
        boolean nothingDelivered = Double.isNaN(drained) || drained <= 0;
        out.finding(SINK_FAILING, nothingDelivered ? Severity.CRITICAL : Severity.WARNING, "sink " + name + ": "
                + (connect > 0 ? connect + " failed connection(s)" : "") + (connect > 0 && write > 0 ? " and " : "")
                + (write > 0 ? write + " failed delivery(ies)" : "") + " in " + Math.round(secs * 1000) + " ms, "
                + (nothingDelivered ? "and no event delivered: its destination is down or unreachable, so its channel "
                + "keeps every event until the channel is full" : (long) drained + " events still delivered"),
                Evidence.of("sink", name, "connection_failures_in_window", connect, "write_failures_in_window", write,
                        "drained_in_window", Double.isNaN(drained) ? null : (long) drained, "ConnectionFailedCount",
                        Double.isNaN(failedTotal) ? null : (long) failedTotal, "window_ms", Math.round(secs * 1000)),
                name);
    }

    private static void source(String name, Map<String, String> now, Map<String, String> before, double secs,
            Evaluation.Builder out) {
        if (before == null) {
            return;
        }
        // most sources count EventReceivedCount; some (the sequence generator) only EventAcceptedCount
        double received = delta(now, before, "EventReceivedCount");
        double accepted = delta(now, before, "EventAcceptedCount");
        if (Double.isNaN(received) && Double.isNaN(accepted) || received < 0 || accepted < 0) {
            return; // not a counting source, or the agent restarted between the readings
        }
        double events = Math.max(Double.isNaN(received) ? 0 : received, Double.isNaN(accepted) ? 0 : accepted);
        out.metric(new Metric("flume_source_events_per_second", round(events / secs), "1/s", Map.of("source", name),
                null, null));
        if ((Double.isNaN(received) || received == 0) && (Double.isNaN(accepted) || accepted == 0)) {
            out.finding(SOURCE_STALLED, Severity.INFO, "source " + name + " received no event in "
                    + Math.round(secs * 1000) + " ms: quiet hours, or the application, log file or upstream agent "
                    + "feeding it has stopped", Evidence.of("source", name, "EventReceivedCount",
                            text(now, "EventReceivedCount"), "EventAcceptedCount", text(now, "EventAcceptedCount"),
                            "window_ms", Math.round(secs * 1000)), name);
        }
    }

    private static String name(String component) {
        return component.substring(component.indexOf('.') + 1);
    }

    private static String text(Map<String, String> attributes, String key) {
        return attributes.get(key);
    }

    /** The attribute as a number, or NaN when absent or not a number. */
    static double number(Map<String, String> attributes, String key) {
        String v = attributes.get(key);
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double delta(Map<String, String> now, Map<String, String> before, String key) {
        return number(now, key) - number(before, key);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
