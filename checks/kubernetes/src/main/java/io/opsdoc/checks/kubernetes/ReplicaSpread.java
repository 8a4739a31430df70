package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.SpreadCode.*;

import io.opsdoc.checks.kubernetes.SpreadFacts.ReadyPod;
import io.opsdoc.checks.kubernetes.SpreadFacts.Spreadable;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Would losing one node (or one zone) take a replicated workload down? Deployments and StatefulSets that want at
 * least {@code min-replicas} replicas and have every ready replica on the same node, or, in a cluster whose nodes
 * span several zones, in the same zone. The scheduler only spreads softly by default, so this happens after a node
 * was drained and came back (pods do not rebalance), or when most nodes were full.
 */
public final class ReplicaSpread extends DescribedCheck<SpreadFacts> {
    public static final String ID = "k8s-replica-spread";
    static final String NOTE = "kubernetes/replica-spread";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("namespace", ParameterType.STRING, "", "look at this namespace only; empty = all namespaces"),
            new ParameterSpec("min-replicas", ParameterType.INTEGER, "2",
                    "judge workloads that want at least this many replicas (a single replica cannot be spread)"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.clusterRole(ID,
            "Lists Deployments, StatefulSets, pods (their nodes) and nodes (their zone labels).",
            new KubeGrants.Rule("", List.of("pods", "nodes")),
            new KubeGrants.Rule("apps", List.of("deployments", "statefulsets"))));

    public ReplicaSpread() {
        super(ID, KubeTarget.SCHEME, "Are the replicas of each Kubernetes workload spread over nodes and zones?",
                SpreadFacts.class, PARAMETERS, SpreadCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public SpreadFacts collect(CheckContext context) throws Exception {
        return SpreadCollector.collect(context);
    }

    @Override
    public void evaluate(SpreadFacts facts, Parameters p, Evaluation.Builder out) {
        long min = p.integer("min-replicas");
        Map<String, List<ReadyPod>> byWorkload = new HashMap<>();
        facts.pods().forEach(x -> byWorkload.computeIfAbsent(x.workloadKey(), k -> new ArrayList<>()).add(x));
        Set<String> clusterZones = new HashSet<>(facts.zones().values());
        int judged = 0;
        int concentrated = 0;
        for (Spreadable w : facts.workloads()) {
            List<ReadyPod> ready = byWorkload.getOrDefault(w.key(), List.of());
            if (w.desired() >= min && w.rules().isEmpty()) {
                noRules(w, ready, out);
            }
            if (w.desired() < min || ready.size() < 2) {
                continue;
            }
            judged++;
            String label = w.kind() + " " + w.namespace() + "/" + w.name();
            String rules = w.rules().isEmpty() ? "none" : String.join(", ", w.rules());
            Set<String> nodes = new HashSet<>();
            ready.forEach(x -> nodes.add(x.nodeName()));
            Evidence e = Evidence.of("desired", w.desired(), "ready", ready.size(), "spread_rules", rules);
            if (nodes.size() == 1) {
                concentrated++;
                String node = nodes.iterator().next();
                out.finding(ALL_REPLICAS_ON_ONE_NODE, Severity.WARNING, "all " + ready.size() + " ready replicas of " + label
                        + " run on node " + node + ": losing that node (a failure, a drain, a kernel upgrade) takes the "
                        + "application down until they are rescheduled. Spread rules in its template: " + rules
                        + (w.rules().isEmpty() ? "; add topologySpreadConstraints on kubernetes.io/hostname (or pod "
                                + "anti-affinity), then kubectl rollout restart to re-place the pods" : "; they are soft "
                                + "(ScheduleAnyway or preferred) or the other nodes are full: kubectl rollout restart once "
                                + "there is room"),
                        e.put("node", node), w.key());
                continue;
            }
            Set<String> zones = new HashSet<>();
            boolean known = true;
            for (String n : nodes) {
                String z = facts.zones().get(n);
                if (z == null) {
                    known = false;
                } else {
                    zones.add(z);
                }
            }
            if (known && zones.size() == 1 && clusterZones.size() > 1) {
                concentrated++;
                String zone = zones.iterator().next();
                out.finding(ALL_REPLICAS_IN_ONE_ZONE, Severity.INFO, "all " + ready.size() + " ready replicas of " + label
                        + " run in zone " + zone + " (on " + nodes.size() + " nodes) although the cluster's nodes span "
                        + clusterZones.size() + " zones: a zone outage takes it down. Spread rules: " + rules
                        + "; add topologySpreadConstraints on topology.kubernetes.io/zone if it must survive one",
                        e.put("zone", zone).put("cluster_zones", clusterZones.size()), w.key());
            }
        }
        out.metric(Metric.of("workloads_judged", judged, ""));
        out.metric(Metric.of("workloads_without_spread_rules", facts.workloads().stream()
                .filter(w -> w.desired() >= min && w.rules().isEmpty()).count(), ""));
        out.metric(Metric.of("workloads_concentrated", concentrated, ""));
    }

    /**
     * INFO, not WARNING: nothing is wrong yet, and the scheduler's default PodTopologySpread scoring (maxSkew 3 per
     * node, 5 per zone, ScheduleAnyway) usually spreads the replicas anyway; it is a preference that loses to a full
     * node, and pods never move back after a drain. ALL_REPLICAS_ON_ONE_NODE is the WARNING when that happened.
     */
    private static void noRules(Spreadable w, List<ReadyPod> ready, Evaluation.Builder out) {
        Set<String> nodes = new HashSet<>();
        ready.forEach(x -> nodes.add(x.nodeName()));
        out.finding(NO_ANTI_AFFINITY, Severity.INFO, w.kind() + " " + w.namespace() + "/" + w.name() + " wants "
                + w.desired() + " replicas, and its pod template has neither podAntiAffinity nor "
                + "topologySpreadConstraints: where the replicas land is left to the scheduler's default spreading, "
                + "which is best effort (a preference that loses to a full node, and pods do not move back after a "
                + "drain). Today its " + ready.size() + " ready replicas are on " + nodes.size() + " node(s). Add "
                + "topologySpreadConstraints on kubernetes.io/hostname (maxSkew 1), or a preferred podAntiAffinity on "
                + "its own labels", Evidence.of("desired", w.desired(), "ready", ready.size(), "nodes_now", nodes.size(),
                        "spread_rules", "none"), w.key() + "/rules");
    }
}
