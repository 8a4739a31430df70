package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code k8s-pod-terminating} reads: the pods marked for deletion and the Ready status of every node.
 *
 * @param nodeReady node name to its Ready condition status (True, False, Unknown); a node not in the map is gone
 */
public record TerminatingFacts(Instant observedAt, String namespace, List<TermPod> pods, Map<String, String> nodeReady) {

    /**
     * @param deletionTimestamp when the request was made plus the grace period: the moment the pod should be gone
     * @param ownerKind         the controlling workload (Deployment through its ReplicaSet), null for a bare pod
     */
    public record TermPod(String namespace, String name, String ownerKind, String ownerName, String nodeName,
            String phase, Instant deletionTimestamp, Long gracePeriodSeconds, List<String> finalizers) {

        public String workloadKey() {
            return ownerKind == null ? namespace + "/Pod/" + name : namespace + "/" + ownerKind + "/" + ownerName;
        }
    }
}
