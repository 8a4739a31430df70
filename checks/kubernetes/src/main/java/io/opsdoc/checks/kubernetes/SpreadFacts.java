package io.opsdoc.checks.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * What {@code k8s-replica-spread} reads: Deployments and StatefulSets (desired replicas, spread rules in the pod
 * template), their ready pods' nodes, and each node's zone label.
 *
 * @param zones node name to its {@code topology.kubernetes.io/zone}; nodes without the label are absent
 */
public record SpreadFacts(String namespace, List<Spreadable> workloads, List<ReadyPod> pods, Map<String, String> zones) {

    /** @param rules how the template asks to be spread: {@code podAntiAffinity}, {@code topologySpreadConstraints(zone)}, or none */
    public record Spreadable(String kind, String namespace, String name, int desired, List<String> rules) {
        public String key() {
            return namespace + "/" + kind + "/" + name;
        }
    }

    public record ReadyPod(String workloadKey, String name, String nodeName) {
    }
}
