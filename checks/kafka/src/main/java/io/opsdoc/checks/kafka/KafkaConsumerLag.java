package io.opsdoc.checks.kafka;

import static io.opsdoc.checks.kafka.ConsumerLagCode.*;

import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Are the consumer groups keeping up? Two samples of committed and log-end offsets, {@code window} apart, judged
 * the way Burrow does: lag that grows while the group commits (LAGGING), a committed offset that does not move
 * while there is lag (STALLED), lag with nobody consuming (STOPPED), and offsets moving backwards (REWIND).
 */
public final class KafkaConsumerLag extends DescribedCheck<GroupsFacts> {
    public static final String ID = "kafka-consumer-lag";
    static final String NOTE = "kafka/consumer-lag";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "6s",
                    "time between the two samples: longer than the consumers' commit interval (auto.commit.interval.ms, "
                            + "5 s by default). Shortened to fit --timeout when needed (then STALLED is not decided)"),
            new ParameterSpec("groups", ParameterType.STRING, ".*", "regular expression: only groups whose whole id matches"));

    private static final List<GrantSet> GRANTS = List.of(KafkaGrants.of(
            "listGroups needs Describe on the cluster (or lists only the groups you may describe); offsets and "
                    + "descriptions need Describe on each group; log-end offsets need Describe on each topic.",
            true, false, true, false, true));

    public KafkaConsumerLag() {
        super(ID, "kafka", "Are the Kafka consumer groups keeping up, stalled, stopped, or rewound?",
                GroupsFacts.class, PARAMETERS, ConsumerLagCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KafkaTarget.validate(target);
    }

    static Pattern groupPattern(Parameters p) {
        try {
            return Pattern.compile(p.string("groups"));
        } catch (PatternSyntaxException e) {
            throw new UsageException("parameter groups: not a regular expression: " + e.getDescription());
        }
    }

    @Override
    public GroupsFacts collect(CheckContext context) throws Exception {
        Parameters p = context.parameters();
        return GroupsCollector.collect(context, ID, groupPattern(p), p.duration("window"));
    }

    @Override
    public void evaluate(GroupsFacts facts, Parameters p, Evaluation.Builder out) {
        Pattern filter = groupPattern(p);
        double seconds = Math.max(0.001, (facts.secondSampleAt() - facts.firstSampleAt()) / 1000.0);
        for (GroupsFacts.GroupFacts g : facts.groups()) {
            if (!filter.matcher(g.group()).matches()) {
                continue;
            }
            new GroupEvaluation(g, seconds, p.duration("window").toMillis() / 1000.0, out).run();
        }
    }

    /** The rules for one group. */
    private static final class GroupEvaluation {
        private final GroupsFacts.GroupFacts g;
        private final double seconds;
        private final double requested;
        private final Evaluation.Builder out;

        GroupEvaluation(GroupsFacts.GroupFacts g, double seconds, double requested, Evaluation.Builder out) {
            this.g = g;
            this.seconds = seconds;
            this.requested = requested;
            this.out = out;
        }

        /**
         * SamplingWindow shortened the window to fit --timeout. Consumers commit periodically (5 s by default), so
         * "committed nothing" in a window shorter than asked proves nothing: STALLED is not decided then.
         */
        private boolean shortened() {
            return seconds < requested * 0.9;
        }

        void run() {
            long lag1 = 0;
            long lag2 = 0;
            long consumed = 0;
            long produced = 0;
            List<String> rewound = new ArrayList<>();
            List<String> stuck = new ArrayList<>();
            long rewoundBy = 0;
            for (GroupsFacts.PartitionOffsets po : g.partitions()) {
                Long l1 = po.lag1();
                Long l2 = po.lag2();
                lag1 += l1 == null ? 0 : l1;
                lag2 += l2 == null ? 0 : l2;
                if (po.committed1() != null && po.committed2() != null) {
                    long moved = po.committed2() - po.committed1();
                    if (moved < 0) {
                        rewound.add(po.topic() + "-" + po.partition() + " " + po.committed1() + "->" + po.committed2());
                        rewoundBy += -moved;
                    } else {
                        consumed += moved;
                    }
                    if (moved == 0 && l2 != null && l2 > 0) {
                        stuck.add(po.topic() + "-" + po.partition() + " (lag " + l2 + ")");
                    }
                }
                if (po.end1() != null && po.end2() != null) {
                    produced += Math.max(0, po.end2() - po.end1());
                }
            }
            Map<String, String> labels = Map.of("group", g.group());
            out.metric(new Metric("lag_messages", lag2, "", labels, null, null));
            double produceRate = produced / seconds;
            double consumeRate = consumed / seconds;
            out.metric(new Metric("produce_rate", round(produceRate), "", labels, null, null));
            out.metric(new Metric("commit_rate", round(consumeRate), "", labels, null, null));
            // lag in time: how long the producers took to write what is waiting, at the current write rate
            Double lagSeconds = produceRate > 0 ? lag2 / produceRate : null;
            if (lagSeconds != null) {
                out.metric(new Metric("lag_seconds_estimate", round(lagSeconds), "s", labels, null, null));
            }
            Evidence base = Evidence.of("state", g.state(), "members", g.members(), "lag_before", lag1, "lag_after", lag2,
                    "window", String.format("%.1fs", seconds), "committed_per_s", round(consumeRate),
                    "produced_per_s", round(produceRate));
            if (lagSeconds != null) {
                base.put("lag_time_estimate", String.format("%.0fs", lagSeconds));
            }
            if (shortened()) {
                base.put("window_requested", String.format("%.1fs", requested))
                        .put("window_note", "shortened to fit --timeout; STALLED needs the full window");
            }
            if (!rewound.isEmpty()) {
                out.finding(REWIND, Severity.WARNING, "group " + g.group() + " committed offsets lower than before on "
                        + rewound.size() + " partition(s) (" + rewoundBy + " messages back): they will be consumed again; "
                        + "someone reset the group's offsets, or a consumer committed stale positions: "
                        + limit(rewound, 5),
                        copy(base).put("rewound", limit(rewound, 5)), g.group());
            }
            if (lag2 <= 0) {
                return;
            }
            if (g.members() == 0) {
                out.finding(STOPPED, lag2 > lag1 ? Severity.CRITICAL : Severity.WARNING, "group " + g.group() + " has no "
                        + "consumer running (state " + g.state() + ") and " + lag2 + " message(s) waiting"
                        + (lag2 > lag1 ? ", growing" : "") + (lagSeconds == null ? "" : " (about "
                        + String.format("%.0f", lagSeconds) + " s of production)"), base, g.group());
                return;
            }
            if (!stuck.isEmpty() && consumed == 0 && rewound.isEmpty() && !shortened()) {
                out.finding(STALLED, Severity.CRITICAL, "group " + g.group() + " has " + g.members() + " member(s) but "
                        + "committed nothing in " + String.format("%.1f", seconds) + " s while " + lag2 + " message(s) wait: "
                        + "the consumers are alive but stuck (a poison message, a blocked downstream, a rebalance loop): "
                        + limit(stuck, 5), copy(base).put("stuck_partitions", limit(stuck, 5)), g.group());
                return;
            }
            if (lag2 > lag1 && consumed > 0) {
                out.finding(LAGGING, Severity.WARNING, "group " + g.group() + " commits " + round(consumeRate)
                        + " msg/s but producers write " + round(produceRate) + " msg/s: lag grew from " + lag1 + " to "
                        + lag2 + " in " + String.format("%.1f", seconds) + " s"
                        + (lagSeconds == null ? "" : " (about " + String.format("%.0f", lagSeconds) + " s behind)"),
                        base, g.group());
            }
        }

        private static Evidence copy(Evidence e) {
            Evidence c = Evidence.of();
            e.asMap().forEach(c::put);
            return c;
        }

        private static double round(double v) {
            return Math.round(v * 10) / 10.0;
        }

        private static String limit(List<String> items, int n) {
            String shown = String.join(", ", items.subList(0, Math.min(n, items.size())));
            return items.size() > n ? shown + ", ... (" + (items.size() - n) + " more)" : shown;
        }
    }
}
