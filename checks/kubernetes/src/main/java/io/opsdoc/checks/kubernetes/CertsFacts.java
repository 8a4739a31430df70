package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * The certificates {@code k8s-certs} found: every certificate file under the PKI directory and every client
 * certificate embedded in (or referenced by) the kubeconfigs it was given, plus the files it could not read or parse.
 */
public record CertsFacts(Instant observedAt, List<Cert> certs, List<String> skipped) {

    /**
     * @param source the file, or {@code kubeconfig-file (user NAME)} for a kubeconfig's client certificate
     * @param ca     a CA certificate (basic constraints allow signing)
     */
    public record Cert(String source, String subject, String issuer, Instant notBefore, Instant notAfter, boolean ca) {
    }
}
