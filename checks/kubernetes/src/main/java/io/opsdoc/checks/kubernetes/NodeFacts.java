package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code k8s-node-notready} reads from the API server, as plain values: each Node's conditions, taints,
 * cordon flag and kubelet version, its Lease in {@code kube-node-lease}, and, for nodes that are not Ready or carry
 * a NoExecute taint, the pods bound to it with their tolerations. {@code observedAt} is when the lists were read;
 * every age is computed from it, so evaluating recorded facts later gives the same answer.
 *
 * @param podLookupLimit pods were looked up for at most this many affected nodes ({@code pods} is null beyond it)
 * @param readyEvents the Events about Nodes with reason NodeReady or NodeNotReady (the Ready transitions the kubelet and
 *     the node-lifecycle controller record); null when they could not be listed
 * @param kubelet what the kubelet-host parameter's host showed of its kubelet; null when not asked
 */
public record NodeFacts(Instant observedAt, ServerVersion server, List<NodeState> nodes, int podLookupLimit,
        List<ReadyEvent> readyEvents, KubeletHost kubelet) {

    /**
     * One Event, as stored: the API server keeps repeats of the same event as one object whose {@code count} grows and
     * whose {@code lastTimestamp} moves (events.k8s.io/v1 writers fill {@code series} and {@code eventTime} instead; the
     * collector maps both onto these fields). Events expire an hour after their last update (--event-ttl).
     */
    public record ReadyEvent(String node, String reason, String component, int count, Instant first, Instant last,
            String message) {
    }

    /**
     * The kubelet as one host shows it. {@code kubeletProcesses} and {@code runtimeProcesses} are null when /proc does
     * not show every process (hidepid); {@code systemd} holds {@code systemctl show kubelet.service}'s properties when
     * systemd is the host's init, else null.
     */
    public record KubeletHost(String host, Integer kubeletProcesses, Map<String, Integer> runtimeProcesses,
            Map<String, String> systemd) {
    }

    /** One node. {@code lease} is null when no Lease of that name exists; {@code pods} is null when not looked up. */
    public record NodeState(String name, Instant created, boolean unschedulable, String kubeletVersion,
            List<Condition> conditions, List<NodeTaint> taints, NodeLease lease, List<PodOnNode> pods) {

        public Condition condition(String type) {
            return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
        }

        public NodeTaint taint(String key, String effect) {
            return taints == null ? null
                    : taints.stream().filter(t -> key.equals(t.key()) && effect.equals(t.effect())).findFirst().orElse(null);
        }
    }

    /** A NodeCondition: {@code status} is True, False or Unknown. */
    public record Condition(String type, String status, String reason, String message, Instant lastHeartbeatTime,
            Instant lastTransitionTime) {
    }

    public record NodeTaint(String key, String value, String effect, Instant timeAdded) {
    }

    /** The node's heartbeat: the kubelet renews {@code renewTime} every 10 s (a quarter of the 40 s lease duration). */
    public record NodeLease(String holderIdentity, Instant renewTime, Integer leaseDurationSeconds) {
    }

    public record PodOnNode(String namespace, String name, String ownerKind, String ownerName, boolean terminating,
            List<PodToleration> tolerations) {
    }

    /** A toleration; {@code tolerationSeconds} null means "for ever" (NoExecute taints never evict the pod). */
    public record PodToleration(String key, String operator, String value, String effect, Long tolerationSeconds) {

        /** Kubernetes' matching rule: an empty key with Exists tolerates every taint; an empty effect every effect. */
        public boolean tolerates(String taintKey, String taintEffect) {
            boolean keyMatches = key == null || key.isEmpty() ? "Exists".equals(operator) : key.equals(taintKey);
            boolean effectMatches = effect == null || effect.isEmpty() || effect.equals(taintEffect);
            return keyMatches && effectMatches;
        }
    }
}
