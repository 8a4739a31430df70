package io.opsdoc.checks.rabbitmq;

import static io.opsdoc.checks.rabbitmq.BacklogCode.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Are consumers keeping up? Ready and unacknowledged messages against thresholds, queues with messages and no
 * consumer, the age of the oldest message, and over the window the publish rate against the delivery rate and the
 * growth of each queue.
 *
 * <p><b>The window is the broker's own history</b> ({@code msg_rates_age}/{@code lengths_age}), not two samples
 * taken by the check: the management plugin keeps every queue's counters in 5 s samples for 10 minutes, and its
 * counters only move once per statistics interval (5 s by default), so two reads 2 s apart would usually show no
 * change at all. The check therefore waits for nothing, cannot outlast {@code --timeout}, and its evidence gives
 * the span the samples really cover ({@code window_s}).
 */
public final class QueueBacklog extends ManagementCheck<BacklogFacts> {
    public static final String ID = "rabbitmq-backlog";
    static final String NOTE = "rabbitmq/backlog";
    private static final String COLUMNS = "name,vhost,type,node,messages,messages_ready,messages_unacknowledged,"
            + "consumers,head_message_timestamp,message_stats,messages_details";
    private static final int LISTED = 20;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "60s",
                    "how far back the broker's samples are read for rates and growth (5 s samples, kept 10 minutes)"),
            new ParameterSpec("ready-warning", ParameterType.INTEGER, "1000", "ready messages in one queue worth a warning"),
            new ParameterSpec("ready-critical", ParameterType.INTEGER, "100000",
                    "ready messages in one queue that are critical (memory and paging pressure on its node)"),
            new ParameterSpec("unacked-warning", ParameterType.INTEGER, "1000",
                    "messages delivered and not yet acknowledged in one queue worth a warning"),
            new ParameterSpec("growth-min", ParameterType.INTEGER, "500",
                    "messages a queue must have grown by over the window to count as growing"),
            new ParameterSpec("rate-gap", ParameterType.INTEGER, "1",
                    "messages per second by which publishing must outrun delivery over the window"),
            new ParameterSpec("head-age-warning", ParameterType.DURATION, "10m",
                    "age of a queue's oldest message worth a warning (needs publishers to set the timestamp property)"),
            new ParameterSpec("ignore-queues", ParameterType.STRING, "",
                    "regular expression over vhost/queue (default vhost: '/name') for queues that may hold messages "
                            + "unconsumed, such as dead-letter or parking queues; empty ignores none"));

    public QueueBacklog() {
        super(ID, "Are RabbitMQ consumers keeping up: backlogs, unacknowledged messages, "
                + "queues without consumers, publish versus delivery rates?", BacklogFacts.class, PARAMETERS,
                BacklogCode.class, RabbitGrants.ALL);
    }



    @Override
    public void validate(Target target, Parameters parameters) {
        validate(target);
        ignored(parameters);
        if (parameters.duration("window").toSeconds() < 10) {
            throw new UsageException("window must be at least 10s: the broker keeps 5 s samples, and a rate needs two");
        }
    }

    @Override
    public BacklogFacts collect(CheckContext context) throws Exception {
        ManagementApi api = ManagementApi.open(context);
        long window = context.parameters().duration("window").toSeconds();
        long incr = Math.max(5, window / 12);
        Instant at = Instant.now();
        JsonNode queues = api.get("/api/queues?columns=" + COLUMNS + "&msg_rates_age=" + window + "&msg_rates_incr="
                + incr + "&lengths_age=" + window + "&lengths_incr=" + incr);
        return new BacklogFacts(at, window, queues);
    }

    /** One queue over a threshold: its name, the value that decided, and what the evidence shows of it. */
    private record Hit(String queue, double value, Map<String, Object> facts) {
    }

    @Override
    public void evaluate(BacklogFacts f, Parameters p, Evaluation.Builder out) {
        Pattern ignore = ignored(p);
        Map<BacklogCode, List<Hit>> hits = new LinkedHashMap<>();
        long ready = 0;
        long unacked = 0;
        for (JsonNode q : Api.items(f.queues())) {
            String name = Api.queueName(q);
            ready += Api.number(q, "messages_ready");
            unacked += Api.number(q, "messages_unacknowledged");
            if (ignore != null && ignore.matcher(name).matches()) {
                continue;
            }
            queue(q, name, f, p, hits);
        }
        out.metric(Metric.of("messages_ready_total", ready, "messages"));
        out.metric(Metric.of("messages_unacknowledged_total", unacked, "messages"));
        for (Map.Entry<BacklogCode, List<Hit>> e : hits.entrySet()) {
            report(e.getKey(), e.getValue(), p, out);
        }
    }

    private static void queue(JsonNode q, String name, BacklogFacts f, Parameters p, Map<BacklogCode, List<Hit>> hits) {
        long messages = Api.number(q, "messages");
        long ready = Api.number(q, "messages_ready");
        long unacked = Api.number(q, "messages_unacknowledged");
        long consumers = Api.number(q, "consumers");
        if (ready > p.integer("ready-warning")) {
            add(hits, BACKLOG_HIGH, name, ready, "messages_ready", ready, "consumers", consumers);
        }
        if (consumers == 0 && messages > 0) {
            add(hits, NO_CONSUMERS, name, messages, "messages", messages, "consumers", 0);
        }
        if (unacked > p.integer("unacked-warning")) {
            add(hits, UNACKED_PILING_UP, name, unacked, "messages_unacknowledged", unacked, "consumers", consumers);
        }
        JsonNode head = q.get("head_message_timestamp");
        if (head != null && head.isNumber() && head.asLong() > 0) {
            long age = f.observedAt().getEpochSecond() - head.asLong();
            if (age > p.duration("head-age-warning").toSeconds()) {
                add(hits, HEAD_MESSAGE_OLD, name, age, "head_message_timestamp", head.asLong(), "age_s", age,
                        "messages", messages);
            }
        }
        JsonNode stats = q.get("message_stats");
        Rate publish = Rate.of(stats == null ? null : stats.get("publish_details"));
        Rate deliver = Rate.of(stats == null ? null : stats.get("deliver_get_details"));
        Rate ack = Rate.of(stats == null ? null : stats.get("ack_details"));
        Rate depth = Rate.of(q.get("messages_details"));
        if (publish != null) {
            double delivered = deliver == null ? 0 : deliver.perSecond();
            if (publish.perSecond() - delivered >= p.integer("rate-gap")) {
                add(hits, CONSUME_RATE_BELOW_PUBLISH, name, publish.perSecond() - delivered,
                        "publish_per_s", Api.round1(publish.perSecond()), "deliver_get_per_s", Api.round1(delivered),
                        "ack_per_s", ack == null ? 0.0 : Api.round1(ack.perSecond()), "consumers", consumers,
                        "window_s", publish.seconds());
            }
        }
        if (depth != null && depth.change() >= p.integer("growth-min")) {
            add(hits, BACKLOG_GROWING, name, depth.change(), "grew_by", (long) depth.change(), "messages", messages,
                    "window_s", depth.seconds(), "consumers", consumers);
        }
    }

    private static void add(Map<BacklogCode, List<Hit>> hits, BacklogCode code, String queue, double value, Object... kv) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("queue", queue);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            facts.put((String) kv[i], kv[i + 1]);
        }
        hits.computeIfAbsent(code, c -> new ArrayList<>()).add(new Hit(queue, value, facts));
    }

    /** One finding per code, led by the worst queue; the evidence lists the worst {@value #LISTED}. */
    private static void report(BacklogCode code, List<Hit> hits, Parameters p, Evaluation.Builder out) {
        hits.sort(Comparator.comparingDouble(Hit::value).reversed());
        Hit worst = hits.get(0);
        Map<String, Object> w = worst.facts();
        String more = hits.size() > 1 ? " (and " + (hits.size() - 1) + " more queue(s))" : "";
        Evidence e = Evidence.of("queues", hits.stream().limit(LISTED).map(Hit::facts).toList(), "queue_count", hits.size());
        switch (code) {
            case BACKLOG_HIGH -> {
                boolean critical = worst.value() > p.integer("ready-critical");
                out.finding(code, critical ? Severity.CRITICAL : Severity.WARNING, "queue " + worst.queue() + " holds "
                        + w.get("messages_ready") + " ready messages, over the " + (critical ? "critical" : "warning")
                        + " threshold of " + p.integer(critical ? "ready-critical" : "ready-warning") + ", with "
                        + w.get("consumers") + " consumer(s)" + more, e.put("threshold", p.integer(critical
                                ? "ready-critical" : "ready-warning")), worst.queue());
            }
            case NO_CONSUMERS -> out.finding(code, Severity.WARNING, "queue " + worst.queue() + " holds "
                    + w.get("messages") + " message(s) and has no consumer: nothing drains it" + more, e, worst.queue());
            case UNACKED_PILING_UP -> out.finding(code, Severity.WARNING, "consumers of " + worst.queue() + " hold "
                    + w.get("messages_unacknowledged") + " messages unacknowledged, over the threshold of "
                    + p.integer("unacked-warning") + ": a consumer that never acks, or a prefetch too large for its "
                    + "speed" + more, e.put("threshold", p.integer("unacked-warning")), worst.queue());
            case CONSUME_RATE_BELOW_PUBLISH -> out.finding(code, Severity.WARNING, "queue " + worst.queue()
                    + " received " + w.get("publish_per_s") + " msg/s and delivered " + w.get("deliver_get_per_s")
                    + " msg/s over the last " + w.get("window_s") + " s: consumers are falling behind" + more,
                    e.put("rate_gap", p.integer("rate-gap")), worst.queue());
            case BACKLOG_GROWING -> out.finding(code, Severity.WARNING, "queue " + worst.queue() + " grew by "
                    + w.get("grew_by") + " messages in " + w.get("window_s") + " s, to " + w.get("messages") + more,
                    e.put("growth_min", p.integer("growth-min")), worst.queue());
            case HEAD_MESSAGE_OLD -> out.finding(code, Severity.WARNING, "the oldest message in " + worst.queue()
                    + " was published " + w.get("age_s") + " s ago (threshold " + p.duration("head-age-warning").toSeconds()
                    + " s): it waits behind a backlog or for a consumer that is gone" + more,
                    e.put("threshold_s", p.duration("head-age-warning").toSeconds()), worst.queue());
            default -> throw new IllegalStateException(code.name());
        }
    }

    private static Pattern ignored(Parameters p) {
        String regex = p.string("ignore-queues");
        if (regex == null || regex.isBlank()) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new UsageException("ignore-queues is not a valid regular expression: " + e.getDescription());
        }
    }
}
