package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * What {@code k8s-cni} reads: the agent DaemonSets of the network plugins it knows (Flannel, Calico, Cilium) with
 * their pods, Flannel's {@code net-conf.json} backend type from ConfigMap {@code kube-flannel-cfg} (null when that
 * ConfigMap is absent), and every node's name, schedulability and NetworkUnavailable condition.
 */
public record CniFacts(Instant observedAt, List<DaemonSetState> agents, String flannelConfigMap, String flannelBackend,
        List<NodeNet> nodes) {

    /** A node: cordoned or not, and its NetworkUnavailable condition (status null when the node has none). */
    public record NodeNet(String name, boolean unschedulable, String networkUnavailable, String reason, String message,
            Instant since) {
    }
}
