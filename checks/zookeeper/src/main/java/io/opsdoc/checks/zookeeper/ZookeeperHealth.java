package io.opsdoc.checks.zookeeper;

import static io.opsdoc.checks.zookeeper.HealthCode.FD_NEAR_LIMIT;
import static io.opsdoc.checks.zookeeper.HealthCode.FOUR_LETTER_WORDS_NOT_ALLOWED;
import static io.opsdoc.checks.zookeeper.HealthCode.DATA_SIZE_LARGE;
import static io.opsdoc.checks.zookeeper.HealthCode.LATENCY_HIGH;
import static io.opsdoc.checks.zookeeper.HealthCode.WATCH_COUNT_HIGH;
import static io.opsdoc.checks.zookeeper.HealthCode.MEMBER_NOT_MEASURED;
import static io.opsdoc.checks.zookeeper.HealthCode.REQUESTS_QUEUEING;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Is each member keeping up: request latency, queued requests, file descriptors, and the size of what it holds in
 * memory (znodes, watches, data), from {@code mntr}. Whether the ensemble has a quorum is zookeeper-quorum's question.
 */
public final class ZookeeperHealth extends DescribedCheck<EnsembleFacts> {
    public static final String ID = "zookeeper-health";
    static final String NOTE = "zookeeper/server-health";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("latency-warning", ParameterType.DURATION, "100ms",
                    "zk_avg_latency (average since the member started or since 'srst') at or above which to warn"),
            new ParameterSpec("outstanding-warning", ParameterType.INTEGER, "10",
                    "zk_outstanding_requests (queued, not yet answered) at or above which to warn"),
            new ParameterSpec("fd-warning", ParameterType.PERCENT, "80%",
                    "open file descriptors as a share of the member's limit at which to warn"),
            new ParameterSpec("fd-critical", ParameterType.PERCENT, "95%", "share that is critical"),
            new ParameterSpec("data-size-warning", ParameterType.BYTES, "512MiB",
                    "zk_approximate_data_size (znode data and paths, all held in every member's heap and written "
                            + "whole into each snapshot) at or above which to warn"),
            new ParameterSpec("watch-warning", ParameterType.INTEGER, "1000000",
                    "zk_watch_count (watches the member's clients have set) at or above which to warn"));

    private static final Map<String, String> METRICS = Map.of(
            "zk_avg_latency", "zookeeper_avg_latency_ms",
            "zk_max_latency", "zookeeper_max_latency_ms",
            "zk_outstanding_requests", "zookeeper_outstanding_requests",
            "zk_num_alive_connections", "zookeeper_alive_connections",
            "zk_open_file_descriptor_count", "zookeeper_open_file_descriptors",
            "zk_max_file_descriptor_count", "zookeeper_max_file_descriptors",
            "zk_znode_count", "zookeeper_znodes",
            "zk_watch_count", "zookeeper_watches",
            "zk_approximate_data_size", "zookeeper_approximate_data_size_bytes",
            "zk_pending_syncs", "zookeeper_pending_syncs");

    public ZookeeperHealth() {
        super(ID, "zk", "Is each ZooKeeper member keeping up: latency, queued requests, file descriptors, data and watches held?",
                EnsembleFacts.class, PARAMETERS, HealthCode.class, ZookeeperGrants.grants("srvr,mntr"));
    }

    @Override
    public void validate(Target target) {
        Ensemble.validate(target);
    }

    @Override
    public EnsembleFacts collect(CheckContext context) throws Exception {
        return Ensemble.ask(context, true);
    }

    @Override
    public void evaluate(EnsembleFacts facts, Parameters p, Evaluation.Builder out) {
        double latencyWarning = p.duration("latency-warning").toNanos() / 1e6;
        long outstandingWarning = p.integer("outstanding-warning");
        double fdWarning = p.percent("fd-warning");
        double fdCritical = p.percent("fd-critical");
        int measured = 0;
        for (MemberReply m : facts.members()) {
            String member = m.member();
            Mntr mntr = Mntr.parse(m.mntr());
            if (mntr == null) {
                if (m.mntrDenied() || m.srvrDenied()) {
                    out.finding(FOUR_LETTER_WORDS_NOT_ALLOWED, Severity.INFO, member + " does not allow 'mntr': its "
                            + "latency, queue and file descriptors are not measured; add mntr to "
                            + "4lw.commands.whitelist in its zoo.cfg (e.g. 4lw.commands.whitelist=srvr,mntr) and "
                            + "restart the member", Evidence.of("member", member, "answer",
                                    Ensemble.firstLine(m.mntr() != null ? m.mntr() : m.srvr())), member);
                } else {
                    String why = m.down() ? m.error() : m.notServing() ? FourLetterWord.NOT_SERVING
                            : "no mntr answer";
                    out.finding(MEMBER_NOT_MEASURED, Severity.INFO, member + " was not measured (" + why + "); "
                            + "zookeeper-quorum says what that means for the ensemble",
                            Evidence.of("member", member, "reason", why), member);
                }
                continue;
            }
            measured++;
            Map<String, String> labels = Map.of("member", member, "state", String.valueOf(mntr.string("zk_server_state")));
            METRICS.forEach((key, name) -> {
                if (mntr.has(key)) {
                    out.metric(new Metric(name, mntr.number(key), "", labels, null, null));
                }
            });
            double avg = mntr.number("zk_avg_latency");
            if (avg >= latencyWarning) {
                out.finding(LATENCY_HIGH, Severity.WARNING, String.format(Locale.ROOT, "%s answers requests in "
                        + "%.1f ms on average (max %.0f ms) since it started or since 'srst', at or above %.0f ms: "
                        + "look at its disk (fsync of the transaction log), GC pauses and the request rate", member,
                        avg, mntr.number("zk_max_latency"), latencyWarning),
                        Evidence.of("member", member, "zk_avg_latency", mntr.string("zk_avg_latency"),
                                "zk_max_latency", mntr.string("zk_max_latency"), "threshold_ms", latencyWarning), member);
            }
            double outstanding = mntr.number("zk_outstanding_requests");
            if (outstanding >= outstandingWarning) {
                out.finding(REQUESTS_QUEUEING, Severity.WARNING, String.format(Locale.ROOT, "%s has %.0f requests "
                        + "queued (at or above %d): it receives more than it can process, so every client's latency "
                        + "grows", member, outstanding, outstandingWarning),
                        Evidence.of("member", member, "zk_outstanding_requests", (long) outstanding,
                                "zk_num_alive_connections", (long) mntr.number("zk_num_alive_connections")), member);
            }
            memory(member, mntr, p, out);
            double open = mntr.number("zk_open_file_descriptor_count");
            double max = mntr.number("zk_max_file_descriptor_count");
            if (open >= 0 && max > 0) {
                double used = 100 * open / max;
                if (used >= fdWarning) {
                    boolean crit = used >= fdCritical;
                    out.finding(FD_NEAR_LIMIT, crit ? Severity.CRITICAL : Severity.WARNING, String.format(Locale.ROOT,
                            "%s has %.0f of %.0f file descriptors open (%.0f%%, %d client connections): at the limit "
                                    + "it cannot accept clients or open its log and snapshot files", member, open,
                            max, used, (long) mntr.number("zk_num_alive_connections")),
                            Evidence.of("member", member, "open", (long) open, "max", (long) max, "used_percent",
                                    Math.round(used), "zk_num_alive_connections",
                                    (long) mntr.number("zk_num_alive_connections")), member);
                }
            }
        }
        out.metric(Metric.of("zookeeper_members_measured", measured, ""));
    }

    /** What a member keeps in memory for its clients: the whole data tree and every watch. */
    private static void memory(String member, Mntr mntr, Parameters p, Evaluation.Builder out) {
        long dataWarning = p.bytes("data-size-warning");
        double data = mntr.number("zk_approximate_data_size");
        if (data >= dataWarning) {
            out.finding(DATA_SIZE_LARGE, Severity.WARNING, String.format(Locale.ROOT, "%s holds %.0f bytes of znode "
                    + "data (%d znodes), at or above %d: every member keeps it all in its heap and writes it into "
                    + "each snapshot, so restarts and a follower's sync take longer (a sync slower than initLimit "
                    + "ticks fails) and a heap sized for less ends in GC pauses; find the largest subtrees and "
                    + "move bulk data out of ZooKeeper", member, data, (long) mntr.number("zk_znode_count"),
                    dataWarning),
                    Evidence.of("member", member, "zk_approximate_data_size", (long) data, "zk_znode_count",
                            (long) mntr.number("zk_znode_count"), "data-size-warning", p.raw().get("data-size-warning")),
                    member);
        }
        long watchWarning = p.integer("watch-warning");
        double watches = mntr.number("zk_watch_count");
        if (watches >= watchWarning) {
            out.finding(WATCH_COUNT_HIGH, Severity.WARNING, String.format(Locale.ROOT, "%s holds %.0f watches for "
                    + "%d client connections, at or above %d: each costs memory, and a change to a watched znode "
                    + "sends one notification per watch at once; look for clients that watch every node (wchc on "
                    + "the member, if allowed, lists them by session)", member, watches,
                    (long) mntr.number("zk_num_alive_connections"), watchWarning),
                    Evidence.of("member", member, "zk_watch_count", (long) watches, "zk_num_alive_connections",
                            (long) mntr.number("zk_num_alive_connections"), "watch-warning", watchWarning),
                    member);
        }
    }
}
