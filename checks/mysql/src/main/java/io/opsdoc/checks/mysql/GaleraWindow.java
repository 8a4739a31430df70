package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.GaleraCode.*;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.Locale;
import java.util.Map;

/**
 * mysql-galera's judgements over the window: how much of it replication stood still for flow control (from the
 * cumulative wsrep_flow_control_paused_ns, not wsrep_flow_control_paused, which averages since the last FLUSH STATUS),
 * how many of this node's transactions failed certification, and how many write-sets wait to be applied here.
 */
final class GaleraWindow {
    private GaleraWindow() {
    }

    static void evaluate(MysqlFacts facts, Map<String, String> now, Parameters p, Evaluation.Builder out) {
        flowControl(facts, now, p, out);
        certification(facts, p, out);
        recvQueue(facts, now, p, out);
    }

    private static void flowControl(MysqlFacts facts, Map<String, String> now, Parameters p, Evaluation.Builder out) {
        Long pausedNs = facts.delta("wsrep_flow_control_paused_ns");
        if (pausedNs == null || facts.windowMillis() == null || facts.windowMillis() <= 0) {
            return;
        }
        double share = Math.min(100.0, pausedNs / 1e6 * 100.0 / facts.windowMillis());
        double warn = p.percent("flow-control-warning");
        out.metric(new Metric("flow_control_paused_percent", MysqlFacts.round(share), "%", Map.of(), warn, null));
        Long sent = facts.delta("wsrep_flow_control_sent");
        Long recv = facts.delta("wsrep_flow_control_recv");
        if (share < warn || pausedNs == 0) {
            return;
        }
        // a pause that lasts the whole window sends no new request: wsrep_flow_control_requested (Galera 26.4.x)
        // says whether this node is the one holding it
        String requested = now.get("wsrep_flow_control_requested");
        boolean asking = "true".equalsIgnoreCase(requested);
        boolean thisNode = asking || sent != null && sent > 0;
        out.finding(FLOW_CONTROL_PAUSED, Severity.WARNING, String.format(Locale.ROOT, "replication was paused by flow "
                + "control for %.0f%% of the %.1f s window (warning at %.0f%%): every node's commits stall while a "
                + "slow node catches up; %s", share, facts.windowSeconds(), warn, asking
                ? "this node asked for the pause (wsrep_flow_control_requested=true): it is (one of) the slow node(s)"
                : thisNode ? "this node sent " + sent + " pause request(s): it is (one of) the slow node(s)"
                : "this node sent none: look for the node whose wsrep_flow_control_requested is true or whose "
                + "wsrep_flow_control_sent grows"),
                Evidence.of("flow_control_paused_ns_delta", pausedNs, "window_ms", facts.windowMillis(),
                        "paused_percent", MysqlFacts.round(share))
                        .putIfPresent("wsrep_flow_control_sent_delta", sent)
                        .putIfPresent("wsrep_flow_control_recv_delta", recv)
                        .putIfPresent("wsrep_flow_control_requested", requested)
                        .putIfPresent("wsrep_flow_control_active", now.get("wsrep_flow_control_active")));
    }

    private static void certification(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        Long failures = facts.delta("wsrep_local_cert_failures");
        if (failures == null) {
            return;
        }
        out.metric(Metric.of("cert_failures_per_second", facts.perSecond(failures), "1/s"));
        long at = p.integer("cert-failures");
        if (failures > 0 && failures >= at) {
            out.finding(CERTIFICATION_CONFLICTS, Severity.WARNING, String.format(Locale.ROOT, "%d transaction(s) "
                    + "committed on this node failed certification during the %.1f s window: another node changed the "
                    + "same rows first, and the clients got a deadlock error (1213) at COMMIT; writes to the same rows "
                    + "arrive through more than one node", failures, facts.windowSeconds()),
                    Evidence.of("wsrep_local_cert_failures_delta", failures, "window_ms", facts.windowMillis(),
                            "cert-failures", at).putIfPresent("wsrep_local_bf_aborts_delta",
                            facts.delta("wsrep_local_bf_aborts")));
        }
    }

    /**
     * A long receive queue means two different things. A Synced node applies as fast as it can and holds the cluster
     * back through flow control (RECV_QUEUE_HIGH). A node in state 2 (Donor/Desynced: serving a state transfer, or
     * desynced by wsrep_desync=ON or FLUSH TABLES WITH READ LOCK for a backup) sends no flow control, so while its queue
     * does not shrink it drifts further from the cluster and risks needing a full SST (DONOR_FALLING_BEHIND, the
     * mysqld-mixin's MySQLGaleraDonorFallingBehind). A donor whose queue shrinks over the window is catching up: only
     * the long queue is reported.
     */
    private static void recvQueue(MysqlFacts facts, Map<String, String> now, Parameters p, Evaluation.Builder out) {
        Long queue = MysqlFacts.number(now.get("wsrep_local_recv_queue"));
        if (queue == null) {
            return;
        }
        long warn = p.integer("recv-queue-warning");
        if (queue < warn) {
            return;
        }
        String state = now.get("wsrep_local_state");
        Long before = facts.statusAfter() == null ? null : facts.counter("wsrep_local_recv_queue");
        boolean donorAllWindow = "2".equals(state)
                && (facts.statusAfter() == null || "2".equals(facts.status().get("wsrep_local_state")));
        if (donorAllWindow && (before == null || queue >= before)) {
            out.finding(DONOR_FALLING_BEHIND, Severity.WARNING, String.format(Locale.ROOT, "this node is %s "
                    + "(wsrep_local_state=2) and %d write-sets wait to be applied (warning at %d)%s: a donor or "
                    + "desynced node sends no flow control, so the gap grows for as long as the others write; it will "
                    + "need a long catch-up, or a full state transfer if the gap outgrows the donors' gcache",
                    now.getOrDefault("wsrep_local_state_comment", "Donor/Desynced"), queue, warn, before == null ? ""
                            : String.format(Locale.ROOT, ", %s over the %.1f s window (from %d)", queue > before
                                    ? "grown by " + (queue - before) : "not shrinking", facts.windowSeconds(), before)),
                    Evidence.of("wsrep_local_recv_queue", queue, "recv-queue-warning", warn, "wsrep_local_state", state)
                            .putIfPresent("wsrep_local_recv_queue_before", before)
                            .putIfPresent("wsrep_local_state_comment", now.get("wsrep_local_state_comment"))
                            .putIfPresent("wsrep_desync", facts.variable("wsrep_desync")));
            return;
        }
        out.finding(RECV_QUEUE_HIGH, Severity.WARNING, queue + " write-sets wait to be applied on this node (warning at "
                + warn + "): it serves stale reads" + ("2".equals(state)
                ? "; it is Donor/Desynced but its queue shrank over the window: it is catching up"
                : " and throttles the whole cluster through flow control once the queue passes gcs.fc_limit"),
                Evidence.of("wsrep_local_recv_queue", queue, "recv-queue-warning", warn)
                        .putIfPresent("wsrep_local_recv_queue_before", before)
                        .putIfPresent("wsrep_local_recv_queue_avg", now.get("wsrep_local_recv_queue_avg"))
                        .putIfPresent("wsrep_local_state", state));
    }
}
