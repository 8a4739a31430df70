package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * The certificates {@code k8s-certs} found: every certificate file under the PKI directory and every client
 * certificate embedded in (or referenced by) the kubeconfigs it was given, plus the files it could not read or parse,
 * and the certificate settings of the kubelet's config file.
 */
public record CertsFacts(Instant observedAt, List<Cert> certs, List<String> skipped, KubeletConfig kubelet) {

    /**
     * The kubelet config file's certificate settings, null when the file is absent; each setting null when the file
     * does not set it (the KubeletConfiguration default is then false).
     */
    public record KubeletConfig(String file, Boolean rotateCertificates, Boolean serverTLSBootstrap) {
    }

    /**
     * @param source the file, or {@code kubeconfig-file (user NAME)} for a kubeconfig's client certificate
     * @param ca     a CA certificate (basic constraints allow signing)
     */
    public record Cert(String source, String subject, String issuer, Instant notBefore, Instant notAfter, boolean ca) {
    }
}
