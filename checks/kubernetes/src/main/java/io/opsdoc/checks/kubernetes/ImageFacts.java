package io.opsdoc.checks.kubernetes;

import java.util.List;

/**
 * What {@code k8s-image-policy} reads: the images of running pods, grouped by the workload that owns the pods (a
 * Deployment, not each of its ReplicaSets' pods), with the pull policy the API server stored.
 */
public record ImageFacts(String namespace, List<Owner> owners) {

    /** @param kind Deployment, StatefulSet, DaemonSet, Job, ... or Pod for a pod no controller owns */
    public record Owner(String namespace, String kind, String name, int pods, List<ImageUse> images) {
        public String label() {
            return kind + " " + namespace + "/" + name;
        }

        public String key() {
            return namespace + "/" + kind + "/" + name;
        }
    }

    /** @param pullPolicy as stored (the API server fills the default in); null when absent */
    public record ImageUse(String container, boolean init, String image, String pullPolicy) {
    }
}
