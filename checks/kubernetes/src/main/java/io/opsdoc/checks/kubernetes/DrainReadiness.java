package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.DrainCode.*;

import io.opsdoc.checks.kubernetes.DrainFacts.DrainPod;
import io.opsdoc.checks.kubernetes.DrainFacts.Pdb;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Can this node be drained without surprises? Before {@code kubectl drain}: PodDisruptionBudgets that allow no
 * disruption (the eviction API answers 429 and the drain retries forever), pods no controller owns (drain refuses them,
 * or with {@code --force} deletes them for good), workloads whose every ready replica is on the node (an outage until
 * the replacements are scheduled and Ready), and emptyDir data the drain throws away. DaemonSet pods and static pods'
 * mirrors are left out, as drain leaves them. With no {@code node} it answers for every node.
 */
public final class DrainReadiness extends DescribedCheck<DrainFacts> {
    public static final String ID = "k8s-drain-readiness";
    static final String NOTE = "kubernetes/node-maintenance";
    private static final Set<String> REPLICATED = Set.of("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController");

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("node", ParameterType.STRING, "", "the node to be drained; empty = judge every node"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.clusterRole(ID,
            "Lists nodes, pods (all namespaces: replicas elsewhere count) and PodDisruptionBudgets.",
            new KubeGrants.Rule("", List.of("nodes", "pods")),
            new KubeGrants.Rule("policy", List.of("poddisruptionbudgets"))));

    public DrainReadiness() {
        super(ID, KubeTarget.SCHEME, "Can this Kubernetes node be drained: PDBs, bare pods, single replicas, local data?",
                DrainFacts.class, PARAMETERS, DrainCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public DrainFacts collect(CheckContext context) throws Exception {
        return DrainCollector.collect(context);
    }

    @Override
    public void evaluate(DrainFacts facts, Parameters p, Evaluation.Builder out) {
        List<String> nodes = facts.node().isEmpty() ? facts.nodes() : List.of(facts.node());
        Map<String, List<DrainPod>> readyByWorkload = new LinkedHashMap<>();
        for (DrainPod pod : facts.pods()) {
            if (pod.ownerKind() != null && pod.ready() && !pod.terminating()) {
                readyByWorkload.computeIfAbsent(pod.workloadKey(), k -> new ArrayList<>()).add(pod);
            }
        }
        int evictable = 0;
        int blocked = 0;
        for (String node : nodes) {
            List<DrainPod> onNode = facts.pods().stream().filter(x -> node.equals(x.nodeName()))
                    .filter(x -> !x.finished() && !x.mirror() && !"DaemonSet".equals(x.ownerKind())).toList();
            evictable += onNode.size();
            blocked += pdbs(node, onNode, facts.pdbs(), out);
            bare(node, onNode, out);
            singleReplica(node, onNode, readyByWorkload, out);
            localData(node, onNode, out);
        }
        out.metric(Metric.of("nodes_judged", nodes.size(), ""));
        out.metric(Metric.of("pods_to_evict", evictable, ""));
        out.metric(Metric.of("pdbs_blocking", blocked, ""));
    }

    private static int pdbs(String node, List<DrainPod> onNode, List<Pdb> pdbs, Evaluation.Builder out) {
        List<String> blocking = new ArrayList<>();
        Pdb first = null;
        List<DrainPod> held = new ArrayList<>();
        for (Pdb b : pdbs) {
            List<DrainPod> covered = onNode.stream().filter(b::selects).toList();
            if (!covered.isEmpty() && b.disruptionsAllowed() <= 0) {
                blocking.add(b.namespace() + "/" + b.name() + " (" + b.currentHealthy() + " healthy, " + b.desiredHealthy()
                        + " required)");
                held.addAll(covered);
                first = first == null ? b : first;
            }
        }
        if (first == null) {
            return 0;
        }
        out.finding(DRAIN_BLOCKED_BY_PDB, Severity.WARNING, "draining " + node + " would hang: PodDisruptionBudget "
                + String.join(", ", blocking) + " allows 0 disruptions, so the eviction API refuses "
                + pods(held) + " (429 Too Many Requests) and kubectl drain retries until it times out. Scale the workload "
                + "up first, or relax the budget (minAvailable below the replicas, or maxUnavailable 1) for the maintenance",
                Evidence.of("node", node, "pdbs", String.join(", ", blocking), "disruptionsAllowed", first.disruptionsAllowed(),
                        "pods", names(held)), node);
        return blocking.size();
    }

    private static void bare(String node, List<DrainPod> onNode, Evaluation.Builder out) {
        List<DrainPod> bare = onNode.stream().filter(x -> x.ownerKind() == null).toList();
        if (bare.isEmpty()) {
            return;
        }
        out.finding(UNMANAGED_POD, Severity.WARNING, node + " runs " + pods(bare) + " that no controller owns: "
                + "kubectl drain stops on " + (bare.size() == 1 ? "it" : "them") + " (\"cannot delete Pods that declare no "
                + "controller\"), and with --force deletes " + (bare.size() == 1 ? "it" : "them") + " for good; nothing "
                + "recreates a bare pod. Move it under a Deployment or Job, or delete it knowingly",
                Evidence.of("node", node, "pods", names(bare)), node);
    }

    private static void singleReplica(String node, List<DrainPod> onNode, Map<String, List<DrainPod>> readyByWorkload,
            Evaluation.Builder out) {
        Map<String, Integer> alone = new TreeMap<>();
        for (DrainPod pod : onNode) {
            if (pod.ownerKind() == null || !REPLICATED.contains(pod.ownerKind())) {
                continue;
            }
            List<DrainPod> ready = readyByWorkload.getOrDefault(pod.workloadKey(), List.of());
            if (!ready.isEmpty() && ready.stream().allMatch(x -> node.equals(x.nodeName()))) {
                alone.put(pod.workloadKey(), ready.size());
            }
        }
        if (alone.isEmpty()) {
            return;
        }
        String list = alone.entrySet().stream().map(e -> label(e.getKey()) + (e.getValue() == 1 ? " (1 replica)"
                : " (all " + e.getValue() + " ready replicas)")).collect(Collectors.joining(", "));
        out.finding(SINGLE_REPLICA_ON_NODE, Severity.WARNING, "draining " + node + " takes down " + list
                + ": every ready replica runs there, so the application is unavailable until the replacement is "
                + "scheduled elsewhere and Ready (a StatefulSet pod also waits for its volume to move). Scale to 2 or "
                + "more replicas spread over nodes before the drain, or plan the downtime",
                Evidence.of("node", node, "workloads", String.join(", ", alone.keySet())), node);
    }

    private static void localData(String node, List<DrainPod> onNode, Evaluation.Builder out) {
        List<DrainPod> local = onNode.stream().filter(x -> !x.emptyDirs().isEmpty()).toList();
        if (local.isEmpty()) {
            return;
        }
        out.finding(LOCAL_DATA_ON_NODE, Severity.INFO, node + " has " + pods(local) + " with emptyDir volumes ("
                + local.stream().map(x -> x.name() + ": " + String.join(", ", x.emptyDirs())).collect(Collectors.joining("; "))
                + "): kubectl drain refuses them without --delete-emptydir-data, and their contents are lost with the "
                + "pods; fine for caches and scratch space, not for data anyone needs",
                Evidence.of("node", node, "pods", names(local)), node);
    }

    private static String pods(List<DrainPod> pods) {
        return (pods.size() == 1 ? "pod " : pods.size() + " pods ") + names(pods);
    }

    private static String names(List<DrainPod> pods) {
        return pods.stream().map(x -> x.namespace() + "/" + x.name()).limit(8).collect(Collectors.joining(", "))
                + (pods.size() > 8 ? ", ..." : "");
    }

    private static String label(String key) {
        String[] parts = key.split("/", 3);
        return parts[1] + " " + parts[0] + "/" + parts[2];
    }
}
