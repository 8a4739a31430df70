package io.opsdoc.lab.kubernetes;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.http.LabCertificates.Kind;
import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.util.List;

/**
 * k8s-certs on a control-plane node's certificate files ({@link KubePkiLab}): kubeadm's layout with a lab CA, whose
 * API server certificate and admin.conf client certificate are swapped for expiring and expired ones, and whose
 * kubelet config.yaml (as kubeadm writes it) is replaced by one that does not rotate the kubelet's certificates.
 */
public final class KubePkiScenarios implements ScenarioSet<KubePkiLab> {
    private static final String CHECK = "k8s-certs";

    @Override
    public String system() {
        return "kubernetes-pki";
    }

    @Override
    public String description() {
        return "a kubeadm-shaped /etc/kubernetes/pki and admin.conf with certificates made by keytool (~5 s)";
    }

    @Override
    public List<LabVariant<KubePkiLab>> variants() {
        return List.of(LabVariant.only(KubePkiLab::start, KubePkiLab::shared));
    }

    @Override
    public List<Scenario<KubePkiLab>> scenarios() {
        return List.of(
                scenario("pki-healthy", "every certificate and admin.conf's client certificate valid for months")
                        .healthy().metrics("k8s_certs_checked", "k8s_cert_min_days_left").absent("KUBELET_CERT_ROTATION_OFF")
                        .build(),
                scenario("kubelet-rotation-off", "someone set rotateCertificates: false in the kubelet's config.yaml")
                        .breaks(lab -> lab.kubeletRotationOff(true))
                        .expect(code("KUBELET_CERT_ROTATION_OFF").severity(WARNING).evidence("rotateCertificates", "false")
                                .evidence("serverTLSBootstrap", "unset")
                                .says("sets rotateCertificates: false", "the node goes NotReady", "--rotate-certificates"))
                        .absent("CERT_EXPIRING", "CERT_EXPIRED").build(),
                scenario("kubelet-rotation-unset", "a hand-written kubelet config without rotateCertificates: the "
                        + "default, false, applies")
                        .breaks(lab -> lab.kubeletRotationOff(false))
                        .expect(code("KUBELET_CERT_ROTATION_OFF").severity(WARNING).evidence("rotateCertificates", "unset")
                                .says("does not set rotateCertificates (the default is false)")).build(),
                scenario("pki-apiserver-expiring", "apiserver.crt has 20 days left (the cluster was not upgraded in a year)")
                        .breaks(lab -> lab.apiserverCert(Kind.EXPIRING))
                        .expect(code("CERT_EXPIRING").severity(WARNING).evidence("cert-warning", "30d")
                                .says("apiserver.crt", "kubeadm certs renew apiserver"))
                        .absent("CERT_EXPIRED").build(),
                scenario("pki-apiserver-expiring-soon", "apiserver.crt has 3 days left")
                        .breaks(lab -> lab.apiserverCert(Kind.EXPIRING_SOON))
                        .expect(code("CERT_EXPIRING").severity(CRITICAL).evidence("cert-critical", "7d")).build(),
                scenario("pki-apiserver-expired", "apiserver.crt expired 9 days ago")
                        .breaks(lab -> lab.apiserverCert(Kind.EXPIRED))
                        .expect(code("CERT_EXPIRED").severity(CRITICAL).evidence("ca", false)
                                .says("apiserver.crt", "expired on")).build(),
                scenario("pki-admin-conf-expired", "admin.conf's embedded client certificate expired: kubectl fails")
                        .breaks(lab -> lab.adminConf(Kind.EXPIRED))
                        .expect(code("CERT_EXPIRED").severity(CRITICAL)
                                .says("admin.conf (user kubernetes-admin)", "kubeadm certs renew admin.conf"))
                        .build());
    }

    private static Scenario.Builder<KubePkiLab> scenario(String id, String story) {
        return Scenario.<KubePkiLab>of(id, story).checks(CHECK).target(lab -> "local:")
                .param("pki-dir", KubePkiLab::pkiDir).param("kubeconfigs", KubePkiLab::adminConf).param("cert-files", "")
                .param("kubelet-config", KubePkiLab::kubeletConfig);
    }
}
