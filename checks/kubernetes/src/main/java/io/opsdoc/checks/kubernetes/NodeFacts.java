package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * What {@code k8s-node-notready} reads from the API server, as plain values: each Node's conditions, taints,
 * cordon flag and kubelet version, its Lease in {@code kube-node-lease}, and, for nodes that are not Ready or carry
 * a NoExecute taint, the pods bound to it with their tolerations. {@code observedAt} is when the lists were read;
 * every age is computed from it, so evaluating recorded facts later gives the same answer.
 *
 * @param podLookupLimit pods were looked up for at most this many affected nodes ({@code pods} is null beyond it)
 */
public record NodeFacts(Instant observedAt, ServerVersion server, List<NodeState> nodes, int podLookupLimit) {

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
