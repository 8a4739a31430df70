package io.opsdoc.checks.kubernetes;

import java.util.List;

/** What {@code k8s-pod-probes} reads: the pod templates of Deployments, StatefulSets and DaemonSets, container by container. */
public record ProbeFacts(String namespace, List<Template> templates) {

    public record Template(String kind, String namespace, String name, List<Probed> containers) {
        public String key() {
            return namespace + "/" + kind + "/" + name;
        }
    }

    /** A container's ports and probes; a probe is null when not declared. */
    public record Probed(String name, List<Integer> ports, ProbeSpec readiness, ProbeSpec liveness, ProbeSpec startup) {
    }

    /**
     * A probe with the API's defaults filled in (period 10 s, timeout 1 s, failureThreshold 3, initialDelay 0).
     *
     * @param handler {@code httpGet http /healthz}, {@code tcpSocket 8080}, {@code exec cat /tmp/ok}, {@code grpc 9090}
     */
    public record ProbeSpec(String handler, int initialDelaySeconds, int periodSeconds, int timeoutSeconds,
            int failureThreshold) {

        /** How long the check must fail before the kubelet acts: failureThreshold × periodSeconds. */
        public int windowSeconds() {
            return failureThreshold * periodSeconds;
        }

        public String describe() {
            return handler + " every " + periodSeconds + "s, timeout " + timeoutSeconds + "s, failureThreshold "
                    + failureThreshold;
        }
    }
}
