package io.opsdoc.checks.kubernetes;

import java.util.List;

/**
 * A node-agent DaemonSet (a CNI agent, kube-proxy) as its controller reports it, with its pods: which node each runs
 * on and whether it is Ready. {@code desired} is status.desiredNumberScheduled, the nodes it should run on.
 */
public record DaemonSetState(String namespace, String name, int desired, int ready, int available, List<DaemonPod> pods) {

    /** One pod of the DaemonSet: its node, Ready condition, phase, a waiting reason (CrashLoopBackOff...) and restarts. */
    public record DaemonPod(String name, String node, boolean ready, String phase, String waitingReason, int restarts) {

        String describe() {
            return name + " on " + (node == null ? "no node" : node) + " (" + (waitingReason != null ? waitingReason
                    : phase) + (restarts > 0 ? ", " + restarts + " restarts" : "") + ")";
        }
    }

    /** Pods that are not Ready. */
    List<DaemonPod> notReady() {
        return pods == null ? List.of() : pods.stream().filter(p -> !p.ready()).toList();
    }

    /** Nodes in {@code nodes} with no pod of this DaemonSet at all. */
    List<String> nodesWithoutPod(List<String> nodes) {
        return nodes.stream().filter(n -> pods == null || pods.stream().noneMatch(p -> n.equals(p.node()))).toList();
    }

    String id() {
        return namespace + "/" + name;
    }
}
