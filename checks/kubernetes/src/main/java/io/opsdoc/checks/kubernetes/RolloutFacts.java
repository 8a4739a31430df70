package io.opsdoc.checks.kubernetes;

import java.util.List;

/**
 * What {@code k8s-rollout-safety} reads: each Deployment's rollout settings as the API server returns them (defaults
 * already filled in by the API server; a missing field is read as its documented default).
 */
public record RolloutFacts(String namespace, List<DeploymentRollout> deployments) {

    /**
     * @param strategy {@code RollingUpdate} or {@code Recreate}
     * @param maxUnavailable as written: an integer ({@code "1"}) or a percentage ({@code "25%"}); null for Recreate
     * @param maxSurge likewise
     * @param containersWithoutReadiness names of the (non-init) containers that declare no readinessProbe
     * @param containers all (non-init) container names
     */
    public record DeploymentRollout(String namespace, String name, int replicas, String strategy, String maxUnavailable,
            String maxSurge, int minReadySeconds, int progressDeadlineSeconds, boolean paused,
            List<String> containersWithoutReadiness, List<String> containers) {
        public String label() {
            return "Deployment " + namespace + "/" + name;
        }

        public String key() {
            return namespace + "/Deployment/" + name;
        }
    }
}
