package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.CapacityCode.*;

import io.opsdoc.checks.kubernetes.CapacityFacts.ContainerRequests;
import io.opsdoc.checks.kubernetes.CapacityFacts.NodeCapacity;
import io.opsdoc.checks.kubernetes.CapacityFacts.PodRequests;
import io.opsdoc.checks.kubernetes.CapacityFacts.QuotaUsage;
import io.opsdoc.checks.kubernetes.CapacityFacts.WorkloadRequests;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Are there enough nodes? Requested CPU and memory against what the schedulable nodes can allocate, in total and
 * per node; whether the pods of the biggest node would fit elsewhere if it failed; and whether one more replica of
 * the workload with the largest pods fits anywhere. Requests count, not usage: they are what the scheduler reserves.
 */
public final class ClusterCapacity extends DescribedCheck<CapacityFacts> {
    public static final String ID = "k8s-capacity";
    static final String NOTE = "kubernetes/capacity";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("requests-warning", ParameterType.PERCENT, "90%",
                    "requested share of the schedulable nodes' allocatable CPU or memory at which to warn"),
            new ParameterSpec("quota-warning", ParameterType.PERCENT, "90%",
                    "used share of a ResourceQuota limit at which to report QUOTA_NEAR_LIMIT (kubernetes-mixin KubeQuotaAlmostFull)"),
            new ParameterSpec("pods-warning", ParameterType.PERCENT, "95%",
                    "share of a node's allocatable pods in use at which to report NODE_PODS_NEAR_CAPACITY (kubernetes-mixin "
                            + "KubeletTooManyPods)"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.clusterRole(ID,
            "Lists Nodes (allocatable), pods (requests), Deployments / StatefulSets (pod templates) and ResourceQuotas (used / hard).",
            new KubeGrants.Rule("", List.of("nodes", "pods", "resourcequotas")),
            new KubeGrants.Rule("apps", List.of("deployments", "statefulsets"))));

    public ClusterCapacity() {
        super(ID, KubeTarget.SCHEME, "Does the Kubernetes cluster have room: requests versus allocatable, surviving one node loss, one more replica, namespace quotas?",
                CapacityFacts.class, PARAMETERS, CapacityCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public CapacityFacts collect(CheckContext context) throws Exception {
        return CapacityCollector.collect(context);
    }

    /** CPU in millicores and memory in bytes. */
    record Amount(long cpu, long memory) {
        Amount plus(Amount o) {
            return new Amount(cpu + o.cpu, memory + o.memory);
        }

        Amount minus(Amount o) {
            return new Amount(cpu - o.cpu, memory - o.memory);
        }

        boolean fits(Amount need) {
            return cpu >= need.cpu && memory >= need.memory;
        }

        @Override
        public String toString() {
            return "cpu " + Quantities.cpu(cpu) + ", memory " + Quantities.memory(memory);
        }
    }

    /** What the scheduler reserves for a pod: max(sum of containers, largest init container) plus overhead. */
    static Amount effective(List<ContainerRequests> containers, List<ContainerRequests> init, String overheadCpu,
            String overheadMemory) {
        long cpu = 0;
        long mem = 0;
        for (ContainerRequests c : containers == null ? List.<ContainerRequests>of() : containers) {
            cpu += Quantities.millicores(c.cpu());
            mem += Quantities.bytes(c.memory());
        }
        for (ContainerRequests c : init == null ? List.<ContainerRequests>of() : init) {
            cpu = Math.max(cpu, Quantities.millicores(c.cpu()));
            mem = Math.max(mem, Quantities.bytes(c.memory()));
        }
        return new Amount(cpu + Quantities.millicores(overheadCpu), mem + Quantities.bytes(overheadMemory));
    }

    private record NodeUse(NodeCapacity node, Amount allocatable, Amount requested, int pods) {
        Amount free() {
            return allocatable.minus(requested);
        }
    }

    @Override
    public void evaluate(CapacityFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, NodeUse> schedulable = new LinkedHashMap<>();
        List<String> excluded = new ArrayList<>();
        for (NodeCapacity n : facts.nodes()) {
            if (n.ready() && !n.unschedulable() && (n.blockingTaints() == null || n.blockingTaints().isEmpty())) {
                schedulable.put(n.name(), new NodeUse(n, new Amount(Quantities.millicores(n.allocatableCpu()),
                        Quantities.bytes(n.allocatableMemory())), new Amount(0, 0), 0));
            } else {
                excluded.add(n.name() + (!n.ready() ? " (not Ready)" : n.unschedulable() ? " (cordoned)"
                        : " (" + String.join(", ", n.blockingTaints()) + ")"));
            }
        }
        for (PodRequests pod : facts.pods()) {
            if (pod.nodeName() == null || "Succeeded".equals(pod.phase()) || "Failed".equals(pod.phase())) {
                continue;
            }
            NodeUse u = schedulable.get(pod.nodeName());
            if (u != null) {
                schedulable.put(pod.nodeName(), new NodeUse(u.node(), u.allocatable(), u.requested().plus(
                        effective(pod.containers(), pod.initContainers(), pod.overheadCpu(), pod.overheadMemory())), u.pods() + 1));
            }
        }
        Amount alloc = new Amount(0, 0);
        Amount req = new Amount(0, 0);
        for (NodeUse u : schedulable.values()) {
            alloc = alloc.plus(u.allocatable());
            req = req.plus(u.requested());
        }
        double cpuPct = alloc.cpu() == 0 ? 0 : 100.0 * req.cpu() / alloc.cpu();
        double memPct = alloc.memory() == 0 ? 0 : 100.0 * req.memory() / alloc.memory();
        double warn = p.percent("requests-warning");
        out.metric(new Metric("cpu_requested_percent", round(cpuPct), "%", Map.of(), warn, null));
        out.metric(new Metric("memory_requested_percent", round(memPct), "%", Map.of(), warn, null));
        out.metric(Metric.of("schedulable_nodes", schedulable.size(), ""));
        String scope = schedulable.size() + " schedulable nodes" + (excluded.isEmpty() ? "" : " (not counted: "
                + String.join(", ", excluded) + ")");
        requestsHigh("cpu", cpuPct, Quantities.cpu(req.cpu()), Quantities.cpu(alloc.cpu()), warn, scope, p, out);
        requestsHigh("memory", memPct, Quantities.memory(req.memory()), Quantities.memory(alloc.memory()), warn, scope, p, out);
        nodeLoss(schedulable, alloc, req, scope, out);
        room(facts, schedulable, out);
        quotas(facts, p, out);
        podSlots(facts, p, out);
    }

    /**
     * Each quota'd resource against its limit, at the levels of the kubernetes-mixin alerts: at least quota-warning
     * (KubeQuotaAlmostFull), exactly full (KubeQuotaFullyUsed), above (KubeQuotaExceeded).
     */
    /**
     * Pods per node against the node's allocatable pods (the kubelet's maxPods: 110 by default, far fewer on clouds
     * whose CNI gives each pod an address of the node's network interfaces). Every node counts, cordoned or not: the
     * kubelet refuses the next pod (OutOfpods) whatever the scheduler thinks. Non-terminal pods only, as the kubelet
     * counts them.
     */
    private static void podSlots(CapacityFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, Integer> running = new java.util.HashMap<>();
        for (PodRequests pod : facts.pods()) {
            if (pod.nodeName() != null && !"Succeeded".equals(pod.phase()) && !"Failed".equals(pod.phase())) {
                running.merge(pod.nodeName(), 1, Integer::sum);
            }
        }
        double warn = p.percent("pods-warning");
        double max = 0;
        for (NodeCapacity n : facts.nodes()) {
            long slots = n.allocatablePods() == null ? 0 : (long) Quantities.bytes(n.allocatablePods());
            if (slots <= 0) {
                continue;
            }
            int pods = running.getOrDefault(n.name(), 0);
            double pct = 100.0 * pods / slots;
            max = Math.max(max, pct);
            if (pct >= warn) {
                out.finding(NODE_PODS_NEAR_CAPACITY, Severity.WARNING, "node " + n.name() + " runs " + pods + " pods of the "
                        + slots + " it can hold (" + round(pct) + "%, allocatable pods): " + (pods >= slots
                                ? "the kubelet rejects any further pod with OutOfpods and the scheduler no longer binds to it"
                                : "a few more and the kubelet rejects new pods (OutOfpods)")
                        + ", whatever CPU and memory are left. Raise the kubelet's maxPods if its pod network has "
                        + "addresses for more (110 is the upstream default; clouds that give pods addresses from the "
                        + "node's interfaces cap it per instance type), use bigger or more nodes, or move DaemonSets' and "
                        + "small pods' load elsewhere",
                        Evidence.of("node", n.name(), "pods", pods, "allocatable_pods", slots, "used_percent", round(pct),
                                "pods-warning", p.raw().get("pods-warning")), n.name() + "/pods");
            }
        }
        out.metric(new Metric("max_node_pods_percent", round(max), "%", Map.of(), warn, null));
    }

    private static void quotas(CapacityFacts facts, Parameters p, Evaluation.Builder out) {
        double warn = p.percent("quota-warning");
        int near = 0;
        for (QuotaUsage q : facts.quotas() == null ? List.<QuotaUsage>of() : facts.quotas()) {
            java.math.BigDecimal hard = Quantities.value(q.hard());
            java.math.BigDecimal used = Quantities.value(q.used());
            String where = "ResourceQuota " + q.namespace() + "/" + q.quota();
            Evidence e = Evidence.of("namespace", q.namespace(), "quota", q.quota(), "resource", q.resource(),
                    "used", q.used() == null ? "0" : q.used(), "hard", q.hard());
            String key = q.namespace() + "/" + q.quota() + "/" + q.resource();
            if (hard.signum() == 0) {
                if (used.signum() > 0) {
                    out.finding(QUOTA_EXCEEDED, Severity.WARNING, where + " allows no " + q.resource() + " (hard 0) and "
                            + q.used() + " is in use: nothing more of it can be created in namespace " + q.namespace(),
                            e, key);
                    near++;
                }
                continue;
            }
            // exact decimal arithmetic: 1800m of 2 is 90 %, not 89.99999 %
            double pct = used.multiply(java.math.BigDecimal.valueOf(100))
                    .divide(hard, 6, java.math.RoundingMode.HALF_UP).doubleValue();
            e.put("used_percent", round(pct));
            int cmp = used.compareTo(hard);
            if (cmp > 0) {
                out.finding(QUOTA_EXCEEDED, Severity.WARNING, String.format(java.util.Locale.ROOT, "%s: namespace %s uses "
                        + "%s of %s %s (%.0f%%), more than the limit: someone lowered the quota below what already runs. "
                        + "Nothing is removed, but every new object needing %s (a new pod, a rollout's surge pod, a "
                        + "restarted Job) is refused until usage falls below %s", where, q.namespace(), q.used(), q.hard(),
                        q.resource(), pct, q.resource(), q.hard()), e, key);
                near++;
            } else if (cmp == 0) {
                out.finding(QUOTA_FULL, Severity.WARNING, where + ": namespace " + q.namespace() + " uses all " + q.hard()
                        + " of " + q.resource() + ": the API server refuses the next object that needs it (\"exceeded "
                        + "quota\"), so a scale-up or a rolling update's surge pod fails; raise the quota or free some",
                        e, key);
                near++;
            } else if (pct >= warn) {
                out.finding(QUOTA_NEAR_LIMIT, Severity.INFO, String.format(java.util.Locale.ROOT, "%s: namespace %s uses "
                        + "%s of %s %s (%.1f%%): a few more pods (or one rollout's surge) will hit the limit", where,
                        q.namespace(), q.used(), q.hard(), q.resource(), pct), e.put("quota-warning",
                        p.raw().get("quota-warning")), key);
                near++;
            }
        }
        out.metric(Metric.of("quota_resources_near_limit", near, ""));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static void requestsHigh(String resource, double pct, String requested, String allocatable, double warn,
            String scope, Parameters p, Evaluation.Builder out) {
        if (pct < warn) {
            return;
        }
        out.finding(REQUESTS_HIGH, Severity.WARNING, String.format(java.util.Locale.ROOT, "pods request %.1f%% of the "
                + "%s the %s can allocate (%s of %s): new pods and rescheduled ones will soon stay Pending; add nodes or "
                + "lower oversized requests", pct, resource, scope, requested, allocatable),
                Evidence.of("resource", resource, "requested", requested, "allocatable", allocatable,
                        "requested_percent", round(pct), "requests-warning", p.raw().get("requests-warning")),
                resource);
    }

    private static void nodeLoss(Map<String, NodeUse> schedulable, Amount alloc, Amount req, String scope,
            Evaluation.Builder out) {
        if (schedulable.isEmpty()) {
            return;
        }
        if (schedulable.size() == 1) {
            NodeUse only = schedulable.values().iterator().next();
            out.finding(CANNOT_LOSE_A_NODE, Severity.WARNING, "only one node (" + only.node().name() + ") can take "
                    + "ordinary pods: if it fails, every workload stops until it is back",
                    Evidence.of("schedulable_nodes", 1), "cluster");
            return;
        }
        NodeUse biggest = schedulable.values().stream()
                .max((a, b) -> Long.compare(a.allocatable().memory(), b.allocatable().memory())).orElseThrow();
        Amount remaining = alloc.minus(biggest.allocatable());
        boolean cpu = req.cpu() > remaining.cpu();
        boolean mem = req.memory() > remaining.memory();
        if (!cpu && !mem) {
            return;
        }
        String what = cpu && mem ? "CPU and memory" : cpu ? "CPU" : "memory";
        out.finding(CANNOT_LOSE_A_NODE, Severity.WARNING, "if " + biggest.node().name() + " (the largest of the " + scope
                + ") failed, the pods would request more " + what + " (" + req + ") than the other nodes can allocate ("
                + remaining + "): some would stay Pending until it is back; keep one node's worth of headroom",
                Evidence.of("requested", req.toString(), "allocatable_without_largest", remaining.toString(),
                        "largest_node", biggest.node().name(), "largest_node_allocatable", biggest.allocatable().toString()),
                "cluster");
    }

    private static void room(CapacityFacts facts, Map<String, NodeUse> schedulable, Evaluation.Builder out) {
        WorkloadRequests largest = null;
        Amount need = null;
        for (WorkloadRequests w : facts.workloads()) {
            if (w.replicas() <= 0) {
                continue;
            }
            Amount a = effective(w.containers(), w.initContainers(), null, null);
            if (need == null || a.memory() > need.memory() || (a.memory() == need.memory() && a.cpu() > need.cpu())) {
                largest = w;
                need = a;
            }
        }
        if (largest == null || (need.cpu() == 0 && need.memory() == 0) || schedulable.isEmpty()) {
            return;
        }
        NodeUse best = null;
        for (NodeUse u : schedulable.values()) {
            long maxPods = Quantities.value(u.node().allocatablePods()).longValue();
            if (u.free().fits(need) && (maxPods == 0 || u.pods() < maxPods)) {
                return;
            }
            if (best == null || u.free().memory() > best.free().memory()) {
                best = u;
            }
        }
        String key = largest.namespace() + "/" + largest.kind() + "/" + largest.name();
        out.finding(NO_ROOM_FOR_REPLICA, Severity.WARNING, "one more replica of " + largest.kind() + " " + largest.namespace()
                + "/" + largest.name() + " (the largest pods: " + need + " each) fits on no schedulable node; the most free "
                + "is on " + best.node().name() + " (" + best.free() + "): scaling it up, a rollout with maxSurge, or "
                + "rescheduling one of its pods would leave a pod Pending",
                Evidence.of("pod_requests", need.toString(), "replicas", largest.replicas(), "best_node", best.node().name(),
                        "best_node_free", best.free().toString()),
                key);
    }
}
