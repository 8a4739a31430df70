package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-certs, each a section of the note kubernetes/certificates. */
enum CertsCode implements CheckCode {
    CERT_EXPIRING("a control-plane certificate or kubeconfig client certificate expires soon"),
    CERT_EXPIRED("a control-plane certificate or kubeconfig client certificate has expired or is not yet valid"),
    KUBELET_CERT_ROTATION_OFF("the kubelet's config does not rotate its client certificate (rotateCertificates not true)");

    private final String title;

    CertsCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return KubeCertificates.NOTE;
    }
}
