package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.NOT_READY_TAINT;
import static io.opsdoc.lab.kubernetes.KubeObjects.UNREACHABLE_TAINT;
import static io.opsdoc.lab.kubernetes.KubeObjects.condition;
import static io.opsdoc.lab.kubernetes.KubeObjects.lease;
import static io.opsdoc.lab.kubernetes.KubeObjects.taint;
import static io.opsdoc.lab.kubernetes.KubeObjects.ts;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Node faults, written as the kubelet and the node-lifecycle controller of the lab's Kubernetes version would have
 * left the Node, its Lease and the pods bound to it at this moment: conditions with their reasons and transition
 * times, taints with {@code timeAdded}, Leases renewed when the kubelet last could.
 */
public final class NodeFaults {
    private final KubernetesLab lab;

    NodeFaults(KubernetesLab lab) {
        this.lab = lab;
    }

    /**
     * The machine lost power or its network {@code since} ago: the kubelet stopped renewing its Lease then; once the
     * grace period ran out the node-lifecycle controller set every condition to Unknown (reason NodeStatusUnknown)
     * and added the unreachable taints (NoSchedule and NoExecute) with that time. Pods on the node keep their
     * Running phase but turn not Ready, as the controller marks them.
     */
    public void unreachable(String node, Duration since) {
        Instant now = Instant.now();
        Instant lastRenew = now.minus(since);
        Instant noticed = lastRenew.plus(lab.gracePeriod());
        Node n = lab.client().nodes().withName(node).get();
        List<NodeCondition> conditions = new ArrayList<>();
        for (NodeCondition c : n.getStatus().getConditions()) {
            if (c.getType().equals("NetworkUnavailable")) {
                conditions.add(c);
                continue;
            }
            String message = "Kubelet stopped posting node status.";
            // the last status the kubelet posted is at most nodeStatusReportFrequency (5 min) older than its last renew
            conditions.add(condition(c.getType(), "Unknown", "NodeStatusUnknown", message,
                    lastRenew.minusSeconds(40), noticed.isAfter(now) ? now : noticed));
        }
        n.getStatus().setConditions(conditions);
        List<Taint> taints = new ArrayList<>(otherTaints(n));
        if (!noticed.isAfter(now)) {
            taints.add(taint(UNREACHABLE_TAINT, "NoSchedule", noticed));
            taints.add(taint(UNREACHABLE_TAINT, "NoExecute", noticed));
        }
        n.getSpec().setTaints(taints);
        lab.replace(n);
        lab.replace(lease(node, lastRenew));
        markPodsNotReady(node, noticed);
    }

    /**
     * The kubelet runs and renews its Lease, but reports Ready=False: here the container runtime's network is not
     * ready because the CNI plugin is not initialised (reason KubeletNotReady, the kubelet's own message). The
     * controller adds the not-ready taints.
     */
    /** What a kubelet says while its CNI plugin is not initialized: the commonest NotReady. */
    static final String CNI_NOT_READY = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
            + "message:Network plugin returns error: cni plugin not initialized";

    public void notReady(String node, Duration since) {
        notReady(node, since, CNI_NOT_READY);
    }

    public void notReady(String node, Duration since, String kubeletMessage) {
        Instant now = Instant.now();
        Instant from = now.minus(since);
        Node n = lab.client().nodes().withName(node).get();
        markNotReady(n, now, from, kubeletMessage);
        lab.replace(n);
        lab.replace(lease(node, now.minusSeconds(4)));
        markPodsNotReady(node, from);
    }

    /** What the kubelet and the node-lifecycle controller write on a node NotReady since {@code from}: Ready=False, not-ready taints. */
    static void markNotReady(Node n, Instant now, Instant from, String kubeletMessage) {
        List<NodeCondition> conditions = new ArrayList<>();
        for (NodeCondition c : n.getStatus().getConditions()) {
            conditions.add(c.getType().equals("Ready")
                    ? condition("Ready", "False", "KubeletNotReady", kubeletMessage, now.minusSeconds(10), from)
                    : c);
        }
        n.getStatus().setConditions(conditions);
        List<Taint> taints = new ArrayList<>(otherTaints(n));
        taints.add(taint(NOT_READY_TAINT, "NoSchedule", from));
        taints.add(taint(NOT_READY_TAINT, "NoExecute", from));
        n.getSpec().setTaints(taints);
    }

    /**
     * The kubelet stopped renewing its Lease {@code since} ago but the node is still Ready=True: nothing has acted,
     * as when kube-controller-manager (the node-lifecycle controller) is down or has lost its leader election.
     */
    public void leaseStale(String node, Duration since) {
        lab.replace(lease(node, Instant.now().minus(since)));
    }

    /** The kubelet reports memory, disk or PID pressure ({@code MemoryPressure}, {@code DiskPressure}, {@code PIDPressure}). */
    public void pressure(String node, String conditionType, Duration since) {
        Map<String, String[]> how = Map.of(
                "MemoryPressure", new String[] {"KubeletHasInsufficientMemory", "kubelet has insufficient memory available", "node.kubernetes.io/memory-pressure"},
                "DiskPressure", new String[] {"KubeletHasDiskPressure", "kubelet has disk pressure", "node.kubernetes.io/disk-pressure"},
                "PIDPressure", new String[] {"KubeletHasInsufficientPID", "kubelet has insufficient PID available", "node.kubernetes.io/pid-pressure"});
        String[] h = how.get(conditionType);
        if (h == null) {
            throw new IllegalArgumentException("not a pressure condition: " + conditionType);
        }
        Instant now = Instant.now();
        Node n = lab.client().nodes().withName(node).get();
        List<NodeCondition> conditions = new ArrayList<>();
        for (NodeCondition c : n.getStatus().getConditions()) {
            conditions.add(c.getType().equals(conditionType)
                    ? condition(conditionType, "True", h[0], h[1], now.minusSeconds(10), now.minus(since)) : c);
        }
        n.getStatus().setConditions(conditions);
        List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
        taints.add(taint(h[2], "NoSchedule", now.minus(since)));
        n.getSpec().setTaints(taints);
        lab.replace(n);
    }

    /** The network plugin has not configured routes for the node (NetworkUnavailable=True). */
    public void networkUnavailable(String node) {
        Instant now = Instant.now();
        Node n = lab.client().nodes().withName(node).get();
        List<NodeCondition> conditions = new ArrayList<>();
        for (NodeCondition c : n.getStatus().getConditions()) {
            conditions.add(c.getType().equals("NetworkUnavailable")
                    ? condition("NetworkUnavailable", "True", "NoRouteCreated", "Node created without a route",
                            now.minusSeconds(90), now.minusSeconds(90)) : c);
        }
        n.getStatus().setConditions(conditions);
        List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
        taints.add(taint("node.kubernetes.io/network-unavailable", "NoSchedule", now.minusSeconds(90)));
        n.getSpec().setTaints(taints);
        lab.replace(n);
    }

    /** {@code kubectl cordon} ran {@code since} ago: spec.unschedulable and the unschedulable taint. */
    public void cordon(String node, Duration since) {
        Node n = lab.client().nodes().withName(node).get();
        n.getSpec().setUnschedulable(true);
        List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
        taints.add(taint("node.kubernetes.io/unschedulable", "NoSchedule", Instant.now().minus(since)));
        n.getSpec().setTaints(taints);
        lab.replace(n);
    }

    /** The node's kubelet runs another version than the API server (an upgrade left it behind, or ahead). */
    public void kubeletVersion(String node, String kubeletVersion) {
        Node n = lab.client().nodes().withName(node).get();
        n.getStatus().getNodeInfo().setKubeletVersion(kubeletVersion);
        lab.replace(n);
    }

    /**
     * The node flapped: {@code cycles} times over the last {@code over}, its kubelet reported NotReady (PLEG not
     * healthy under load) and recovered, the last recovery {@code sinceLast} ago. What stays is what a real cluster
     * keeps: Ready=True since the last recovery, and the Events, one object per reason and source whose count grew with
     * each repeat: the kubelet's NodeNotReady and NodeReady, and the node-lifecycle controller's NodeNotReady.
     */
    public void readyFlapping(String node, int cycles, Duration over, Duration sinceLast) {
        Instant now = Instant.now();
        Instant lastUp = now.minus(sinceLast);
        Instant firstDown = now.minus(over);
        readySince(node, now, lastUp);
        Instant lastDown = lastUp.minusSeconds(40);
        lab.put(NodeEvents.event(node, "NodeNotReady", "kubelet", cycles, firstDown, lastDown));
        lab.put(NodeEvents.event(node, "NodeNotReady", "node-controller", cycles, firstDown.plusSeconds(1),
                lastDown.plusSeconds(1)));
        lab.put(NodeEvents.event(node, "NodeReady", "kubelet", cycles, firstDown.plusSeconds(40), lastUp));
    }

    /**
     * The node was rebooted once, {@code ago}: the controller saw it NotReady, the kubelet came back Ready. Also, an
     * hour-old episode of flapping whose Events have not expired yet (the event TTL is one hour after the last update).
     */
    public void rebootedOnceAfterOldFlapping(String node, Duration ago) {
        Instant now = Instant.now();
        Instant up = now.minus(ago);
        readySince(node, now, up);
        lab.put(NodeEvents.event(node, "NodeNotReady", "node-controller", 1, up.minusSeconds(70), up.minusSeconds(70)));
        lab.put(NodeEvents.event(node, "NodeReady", "kubelet", 1, up, up));
        lab.put(NodeEvents.event(node, "NodeNotReady", "kubelet", 6, now.minus(Duration.ofMinutes(55)),
                now.minus(Duration.ofMinutes(40))));
    }

    /** The kubelet reports Ready=True since {@code since}, as after its last recovery. */
    private void readySince(String node, Instant now, Instant since) {
        Node n = lab.client().nodes().withName(node).get();
        List<NodeCondition> conditions = new ArrayList<>();
        for (NodeCondition c : n.getStatus().getConditions()) {
            conditions.add(c.getType().equals("Ready") ? condition("Ready", "True", "KubeletReady",
                    "kubelet is posting ready status", now.minusSeconds(10), since) : c);
        }
        n.getStatus().setConditions(conditions);
        lab.replace(n);
    }

    private static List<Taint> otherTaints(Node n) {
        List<Taint> out = new ArrayList<>();
        if (n.getSpec().getTaints() != null) {
            n.getSpec().getTaints().stream()
                    .filter(t -> !t.getKey().equals(NOT_READY_TAINT) && !t.getKey().equals(UNREACHABLE_TAINT))
                    .forEach(out::add);
        }
        return out;
    }

    private void markPodsNotReady(String node, Instant when) {
        for (Pod p : lab.client().pods().inAnyNamespace().list().getItems()) {
            if (node.equals(p.getSpec().getNodeName())) {
                markPodNotReady(p, when);
                lab.replace(p);
            }
        }
    }

    /** The node controller marks a NotReady node's pods not ready (reason NodeNotReady). */
    static void markPodNotReady(Pod p, Instant when) {
        List<PodCondition> conditions = new ArrayList<>();
        for (PodCondition c : p.getStatus().getConditions()) {
            conditions.add(c.getType().equals("Ready") || c.getType().equals("ContainersReady")
                    ? new PodConditionBuilder(c).withStatus("False").withReason("NodeNotReady")
                            .withLastTransitionTime(ts(when)).build()
                    : c);
        }
        p.getStatus().setConditions(conditions);
    }
}
