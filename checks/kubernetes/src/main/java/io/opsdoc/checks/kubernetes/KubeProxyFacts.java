package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * What {@code k8s-kube-proxy} reads: DaemonSet kube-system/kube-proxy and its pods (null when there is none, e.g.
 * Cilium replacing kube-proxy), the {@code mode} of ConfigMap kube-system/kube-proxy's config.conf (null without the
 * ConfigMap, "" when unset), the nodes, and each node's answer to GET http://INTERNAL_IP:10256/healthz.
 */
public record KubeProxyFacts(Instant observedAt, DaemonSetState daemonSet, String mode, List<String> nodes,
        List<Healthz> healthz, int nodesWithoutAddress) {

    /**
     * One node's /healthz: HTTP status (0 when nothing answered, then {@code error} says why) and the raw values of
     * its JSON body, {@code lastUpdated} and {@code currentTime} in Go's time format, both from kube-proxy's clock.
     */
    public record Healthz(String node, String address, int status, String lastUpdated, String currentTime,
            Boolean nodeEligible, String error) {
    }
}
