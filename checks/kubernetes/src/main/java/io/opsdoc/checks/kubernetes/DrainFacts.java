package io.opsdoc.checks.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * What {@code k8s-drain-readiness} reads: the nodes, every pod (a workload's replicas elsewhere matter) and the
 * PodDisruptionBudgets.
 *
 * @param node the node asked about, or empty for every node
 */
public record DrainFacts(String node, List<String> nodes, List<DrainPod> pods, List<Pdb> pdbs) {

    /**
     * @param ownerKind the controller (a Deployment through its ReplicaSet), null for a bare pod
     * @param mirror    a static pod's mirror (annotation kubernetes.io/config.mirror): drain leaves it alone
     * @param emptyDirs the names of its emptyDir volumes
     */
    public record DrainPod(String namespace, String name, String nodeName, String ownerKind, String ownerName,
            Map<String, String> labels, String phase, boolean ready, boolean terminating, boolean mirror,
            List<String> emptyDirs) {

        public String workloadKey() {
            return namespace + "/" + ownerKind + "/" + ownerName;
        }

        public boolean finished() {
            return "Succeeded".equals(phase) || "Failed".equals(phase);
        }
    }

    /** A label selector requirement: In, NotIn, Exists, DoesNotExist. */
    public record Requirement(String key, String operator, List<String> values) {
    }

    public record Pdb(String namespace, String name, Map<String, String> matchLabels, List<Requirement> expressions,
            boolean selectsNothing, int disruptionsAllowed, int currentHealthy, int desiredHealthy, int expectedPods) {

        public boolean selects(DrainPod p) {
            if (selectsNothing || !namespace.equals(p.namespace())) {
                return false;
            }
            for (Map.Entry<String, String> e : matchLabels.entrySet()) {
                if (!e.getValue().equals(p.labels().get(e.getKey()))) {
                    return false;
                }
            }
            for (Requirement r : expressions) {
                String v = p.labels().get(r.key());
                boolean ok = switch (r.operator()) {
                    case "In" -> v != null && r.values().contains(v);
                    case "NotIn" -> v == null || !r.values().contains(v);
                    case "Exists" -> v != null;
                    case "DoesNotExist" -> v == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
