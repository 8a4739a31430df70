package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * What {@code k8s-control-plane} reads: {@code /readyz?verbose} and {@code /livez?verbose} as the API server answered
 * them, and the serving certificate it presented in the TLS handshake (null over plain HTTP).
 */
public record ControlPlaneFacts(Instant observedAt, ServerVersion server, String serverUrl, Endpoint readyz,
        Endpoint livez, ServingCertificate certificate) {

    /** One health endpoint: HTTP status and the verbose body's lines ({@code [+]ping ok}, {@code [-]etcd failed: ...}). */
    public record Endpoint(String path, int status, List<String> lines) {

        public List<String> failed() {
            return lines == null ? List.of() : lines.stream().filter(l -> l.startsWith("[-]")).toList();
        }
    }

    public record ServingCertificate(String subject, String issuer, Instant notBefore, Instant notAfter) {
    }
}
