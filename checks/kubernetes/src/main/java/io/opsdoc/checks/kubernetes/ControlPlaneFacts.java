package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * What {@code k8s-control-plane} reads: {@code /readyz?verbose} and {@code /livez?verbose} as the API server answered
 * them, the serving certificate it presented in the TLS handshake (null over plain HTTP), and the leader-election
 * Leases of kube-controller-manager and kube-scheduler in kube-system.
 */
public record ControlPlaneFacts(Instant observedAt, ServerVersion server, String serverUrl, Endpoint readyz,
        Endpoint livez, ServingCertificate certificate, List<LeaderLease> leases) {

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
