package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * What {@code k8s-control-plane} reads: {@code /readyz?verbose} and {@code /livez?verbose} as the API server answered
 * them, the serving certificate it presented in the TLS handshake (null over plain HTTP), and the leader-election
 * Leases of kube-controller-manager and kube-scheduler in kube-system; the nodes labelled as control plane, the
 * static-pod mirrors of the control-plane components on each, and how many API server addresses the
 * {@code default/kubernetes} EndpointSlice lists (null when there is none).
 */
public record ControlPlaneFacts(Instant observedAt, ServerVersion server, String serverUrl, Endpoint readyz,
        Endpoint livez, ServingCertificate certificate, List<LeaderLease> leases, List<ControlPlaneNode> controlPlaneNodes,
        List<String> apiserverAddresses, List<StaticPod> staticPods) {

    /**
     * A node labelled {@code node-role.kubernetes.io/control-plane} (or the pre-1.24 {@code .../master}); {@code label}
     * says which; {@code ready} is its Ready condition (null when it has none).
     */
    public record ControlPlaneNode(String name, String label, Boolean ready) {
    }

    /**
     * A mirror pod the kubelet of a control-plane node created in kube-system for one of the static pods in its
     * manifests directory (annotation {@code kubernetes.io/config.mirror}): which component, on which node, whether
     * its Ready condition is True, and its containers as the kubelet last reported them.
     */
    public record StaticPod(String name, String component, String node, String phase, boolean ready,
            List<ContainerState> containers) {
    }

    /**
     * One container's status: {@code state} running, waiting or terminated with its reason ({@code CrashLoopBackOff},
     * {@code Error}); {@code lastReason}/{@code lastExitCode} from lastState.terminated, how the previous run ended.
     */
    public record ContainerState(String name, boolean ready, String state, String reason, Integer exitCode,
            int restarts, String lastReason, Integer lastExitCode) {
    }

    /**
     * One leader-election Lease as the API server returned it; {@code exists} false when GET answered 404.
     * {@code holder} is {@code spec.holderIdentity} ({@code <node>_<uuid>} for both components), empty when the last
     * leader released it on shutdown; times are as the holder wrote them (its clock, not ours).
     */
    public record LeaderLease(String component, boolean exists, String holder, Integer leaseDurationSeconds,
            Instant acquireTime, Instant renewTime, Integer leaseTransitions) {
    }

    /** One health endpoint: HTTP status and the verbose body's lines ({@code [+]ping ok}, {@code [-]etcd failed: ...}). */
    public record Endpoint(String path, int status, List<String> lines) {

        public List<String> failed() {
            return lines == null ? List.of() : lines.stream().filter(l -> l.startsWith("[-]")).toList();
        }
    }

    public record ServingCertificate(String subject, String issuer, Instant notBefore, Instant notAfter) {
    }
}
