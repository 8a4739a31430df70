package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * What {@code k8s-kube-proxy} reads: DaemonSet kube-system/kube-proxy and its pods (null when there is none, e.g.
 * Cilium replacing kube-proxy), the {@code mode} of ConfigMap kube-system/kube-proxy's config.conf (null without the
 * ConfigMap, "" when unset), the nodes, and each node's answer to GET http://INTERNAL_IP:10256/healthz.
 */
public record KubeProxyFacts(Instant observedAt, DaemonSetState daemonSet, String mode, List<String> nodes,
        List<Healthz> healthz, int nodesWithoutAddress, NodeRules nodeRules) {

    /**
     * The node part (parameter node): the Service ports kube-proxy must program and the rules of the nat table's
     * KUBE-SERVICES chain as iptables-save printed them, once or, when some were missing, twice ({@code samples},
     * confirm-after apart, so a Service created during the first read is not reported).
     *
     * @param node where the rules were read ({@code local:}, {@code user@host:port}, with the netns if any)
     * @param skipped null when the rules were read; else why not (a proxy mode whose rules are not in iptables)
     */
    public record NodeRules(String node, List<ServicePort> servicePorts, List<List<String>> samples, int ipv6Skipped,
            String skipped) {
    }

    /**
     * One port of a Service with a cluster IP (not headless, not ExternalName).
     *
     * @param service namespace/name
     * @param port the port's name ("" when unnamed), as kube-proxy's comments and chain hashes name it
     * @param usable whether an EndpointSlice gives it a ready endpoint (or a serving, terminating one): only then
     *               does kube-proxy write a nat rule; without one it writes a REJECT in the filter table instead
     */
    public record ServicePort(String service, String port, String clusterIp, int number, String protocol,
            boolean usable) {
        String describe() {
            return service + (port.isEmpty() ? "" : ":" + port) + " (" + clusterIp + ":" + number + "/"
                    + protocol.toLowerCase(java.util.Locale.ROOT) + ")";
        }
    }

    /**
     * One node's /healthz: HTTP status (0 when nothing answered, then {@code error} says why) and the raw values of
     * its JSON body, {@code lastUpdated} and {@code currentTime} in Go's time format, both from kube-proxy's clock.
     */
    public record Healthz(String node, String address, int status, String lastUpdated, String currentTime,
            Boolean nodeEligible, String error) {
    }
}
