package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.TerminatingCode.*;

import io.opsdoc.checks.kubernetes.TerminatingFacts.TermPod;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Are pods stuck Terminating? A deleted pod's {@code deletionTimestamp} is the request time plus its grace period:
 * by then the kubelet should have stopped the containers (preStop, SIGTERM, SIGKILL) and the object should be gone.
 * One still there {@code stuck-after} later is held by a finalizer nobody removes, sits on a node whose kubelet is
 * gone, or belongs to a kubelet that cannot finish (a hung volume unmount or runtime). Findings are per workload and
 * cause, naming the pods, their node and finalizers.
 */
public final class PodTermination extends DescribedCheck<TerminatingFacts> {
    public static final String ID = "k8s-pod-terminating";
    static final String NOTE = "kubernetes/pod-lifecycle";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("namespace", ParameterType.STRING, "", "look at this namespace only; empty = all namespaces"),
            new ParameterSpec("stuck-after", ParameterType.DURATION, "2m",
                    "a pod still present this long after its deletionTimestamp (deletion request + grace period) is stuck"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.clusterRole(ID,
            "Lists pods (to find those being deleted) and nodes (their Ready status).",
            new KubeGrants.Rule("", List.of("pods", "nodes"))));

    public PodTermination() {
        super(ID, KubeTarget.SCHEME, "Are Kubernetes pods stuck Terminating: finalizers, lost nodes, a kubelet that cannot finish?",
                TerminatingFacts.class, PARAMETERS, TerminatingCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public TerminatingFacts collect(CheckContext context) throws Exception {
        return TerminatingCollector.collect(context);
    }

    @Override
    public void evaluate(TerminatingFacts facts, Parameters p, Evaluation.Builder out) {
        Instant now = facts.observedAt();
        Duration stuckAfter = p.duration("stuck-after");
        Map<String, List<TermPod>> byCause = new TreeMap<>();
        int stuck = 0;
        for (TermPod pod : facts.pods()) {
            if (pod.deletionTimestamp() == null || Duration.between(pod.deletionTimestamp(), now).compareTo(stuckAfter) < 0) {
                continue;
            }
            stuck++;
            String node = pod.nodeName() == null ? null : facts.nodeReady().get(pod.nodeName());
            TerminatingCode code = !pod.finalizers().isEmpty() ? FINALIZER_BLOCKING
                    : pod.nodeName() != null && !"True".equals(node) ? NODE_GONE : STUCK_TERMINATING;
            byCause.computeIfAbsent(code.name() + " " + pod.workloadKey(), k -> new ArrayList<>()).add(pod);
        }
        byCause.forEach((key, pods) -> {
            TerminatingCode code = TerminatingCode.valueOf(key.substring(0, key.indexOf(' ')));
            report(code, key.substring(key.indexOf(' ') + 1), pods, facts, now, p, out);
        });
        out.metric(Metric.of("pods_terminating", facts.pods().size(), ""));
        out.metric(Metric.of("pods_stuck_terminating", stuck, ""));
    }

    private static void report(TerminatingCode code, String workload, List<TermPod> pods, TerminatingFacts facts,
            Instant now, Parameters p, Evaluation.Builder out) {
        TermPod oldest = pods.stream().min((a, b) -> a.deletionTimestamp().compareTo(b.deletionTimestamp())).get();
        String[] parts = workload.split("/", 3);
        String label = parts[1] + " " + parts[0] + "/" + parts[2];
        String names = pods.stream().map(TermPod::name).limit(5).collect(Collectors.joining(", "))
                + (pods.size() > 5 ? ", ..." : "");
        String overdue = Durations.since(oldest.deletionTimestamp(), now);
        String head = (pods.size() == 1 ? "pod " + oldest.name() + " of " + label + " has"
                : pods.size() + " pods of " + label + " (" + names + ") have") + " been Terminating for " + overdue
                + " past the end of " + (pods.size() == 1 ? "its" : "their") + " grace period"
                + (oldest.gracePeriodSeconds() == null ? "" : " (" + oldest.gracePeriodSeconds() + " s)");
        Evidence e = Evidence.of("pods", pods.size(), "example_pod", oldest.name(), "deletionTimestamp",
                oldest.deletionTimestamp(), "overdue", overdue, "stuck-after", p.raw().get("stuck-after"))
                .putIfPresent("grace_period_seconds", oldest.gracePeriodSeconds()).putIfPresent("node", oldest.nodeName())
                .putIfPresent("phase", oldest.phase());
        String summary;
        Severity severity = Severity.WARNING;
        if (code == FINALIZER_BLOCKING) {
            String finalizers = String.join(", ", oldest.finalizers());
            e.put("finalizers", finalizers);
            summary = head + ": the finalizer " + finalizers + " is still set"
                    + ("Succeeded".equals(oldest.phase()) || "Failed".equals(oldest.phase())
                            ? " although its containers finished (phase " + oldest.phase() + ")" : "")
                    + ", so the API server keeps the object until the controller that owns the finalizer removes it. "
                    + "Find why that controller does not (is it running?); remove the finalizer by hand only once you "
                    + "know what it guards";
        } else if (code == NODE_GONE) {
            String ready = facts.nodeReady().get(oldest.nodeName());
            e.put("node_ready", ready == null ? "node deleted" : ready);
            summary = head + ": node " + oldest.nodeName() + (ready == null ? " no longer exists"
                    : " is Ready=" + ready) + ", so no kubelet can confirm the containers stopped and the pods stay "
                    + "Terminating until it comes back. Recover the node, or, once it is certainly down, kubectl delete "
                    + "node " + oldest.nodeName() + "; force-deleting a StatefulSet pod while its node may still run it "
                    + "risks two copies";
        } else {
            summary = head + " on node " + oldest.nodeName() + ", which is Ready: its kubelet cannot finish the "
                    + "teardown (a volume that will not unmount, a container runtime that does not answer, a process "
                    + "stuck in the kernel). Read the kubelet's log on the node: journalctl -u kubelet | grep "
                    + oldest.name();
        }
        out.finding(code, severity, summary, e, workload);
    }

}
