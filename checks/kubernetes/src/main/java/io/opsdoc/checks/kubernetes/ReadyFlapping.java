package io.opsdoc.checks.kubernetes;

import io.opsdoc.checks.kubernetes.NodeFacts.ReadyEvent;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * READY_FLAPPING: how often a node's Ready condition changed in the last flap-window, counted from the Events the
 * kubelet (NodeReady, NodeNotReady) and the node-lifecycle controller (NodeNotReady) record. kubernetes-mixin's
 * KubeNodeReadinessFlapping counts the same changes in kube-state-metrics' series: more than 2 in 15 minutes.
 *
 * <p>Two things make Events an estimate, both resolved towards fewer transitions, so a finding is never inflated: a
 * repeated event is one object with a count, spread (assumed evenly) between its first and last time, so only the
 * share inside the window is counted; and the kubelet and the controller may both record the same NotReady, so per
 * reason the larger of their counts is taken, not the sum.
 */
final class ReadyFlapping {
    private ReadyFlapping() {
    }

    /** The estimated number of times one stored event happened at or after {@code from}. */
    static long inWindow(ReadyEvent e, Instant from) {
        if (e.last() == null || e.last().isBefore(from)) {
            return 0;
        }
        if (e.count() <= 1 || e.first() == null || !e.first().isBefore(from)) {
            return Math.max(1, e.count());
        }
        long span = Duration.between(e.first(), e.last()).toMillis();
        if (span <= 0) {
            return 1;
        }
        long inside = Duration.between(from, e.last()).toMillis();
        return 1 + (long) Math.floor((e.count() - 1) * (double) inside / span);
    }

    /** One node's transitions in the window: per reason the largest count of one reporting component. */
    record Transitions(long total, Map<String, Long> byReason, String detail, Instant last) {
    }

    static Transitions count(List<ReadyEvent> events, Instant from) {
        Map<String, Map<String, Long>> byReasonAndComponent = new TreeMap<>();
        Instant last = null;
        List<String> detail = new ArrayList<>();
        for (ReadyEvent e : events) {
            long n = inWindow(e, from);
            if (n == 0) {
                continue;
            }
            byReasonAndComponent.computeIfAbsent(e.reason(), k -> new TreeMap<>())
                    .merge(e.component() == null ? "?" : e.component(), n, Long::sum);
            last = last == null || e.last().isAfter(last) ? e.last() : last;
            detail.add(e.reason() + " x" + n + " (" + (e.component() == null ? "unknown source" : e.component()) + ")");
        }
        Map<String, Long> byReason = new LinkedHashMap<>();
        long total = 0;
        for (var r : byReasonAndComponent.entrySet()) {
            long max = r.getValue().values().stream().mapToLong(Long::longValue).max().orElse(0);
            byReason.put(r.getKey(), max);
            total += max;
        }
        return new Transitions(total, byReason, String.join(", ", detail), last);
    }

    static void evaluate(NodeFacts facts, Parameters p, Evaluation.Builder out) {
        if (facts.readyEvents() == null) {
            return; // no permission to list Events: nothing to count (the grants now include them)
        }
        Duration window = p.duration("flap-window");
        long threshold = p.integer("flap-transitions");
        Instant from = facts.observedAt().minus(window);
        Map<String, List<ReadyEvent>> byNode = new TreeMap<>();
        facts.readyEvents().forEach(e -> byNode.computeIfAbsent(e.node(), k -> new ArrayList<>()).add(e));
        long worst = 0;
        for (var node : byNode.entrySet()) {
            Transitions t = count(node.getValue(), from);
            worst = Math.max(worst, t.total());
            if (t.total() <= threshold) {
                continue;
            }
            String w = String.valueOf(p.raw().get("flap-window"));
            out.finding(NodeReadinessCode.READY_FLAPPING, Severity.WARNING, "node " + node.getKey() + " changed Ready "
                    + "about " + t.total() + " times in the last " + w + " (" + t.detail() + ", from its Events; more "
                    + "than " + threshold + " is flapping): each time its pods are marked not ready and leave their "
                    + "Services' endpoints, and the not-ready taint starts their eviction clock. Look at what the "
                    + "kubelet says when it flips (kubectl describe node " + node.getKey() + "; journalctl -u kubelet "
                    + "on the node): PLEG or a container runtime too slow under load, memory pressure, a network "
                    + "that drops the kubelet's connection to the API server, or a kubelet restarting",
                    Evidence.of("transitions", t.total(), "window", w, "flap-transitions", threshold)
                            .put("events", t.detail()).put("last_event", t.last())
                            .put("counting", "repeated events spread evenly over their first..last time; per reason "
                                    + "the larger count of kubelet and node-controller"),
                    node.getKey());
        }
        out.metric(new Metric("node_ready_transitions_max", worst, "", Map.of(), (double) threshold, null));
    }
}
