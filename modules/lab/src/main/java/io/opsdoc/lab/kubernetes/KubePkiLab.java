package io.opsdoc.lab.kubernetes;

import io.opsdoc.lab.http.LabCertificates;
import io.opsdoc.lab.http.LabCertificates.Kind;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A kubeadm-shaped control-plane node's certificate files: {@code pki/ca.crt}, {@code pki/apiserver.crt},
 * {@code pki/etcd/server.crt} and an {@code admin.conf} whose user embeds its client certificate, all made by the
 * JDK's keytool through {@link LabCertificates} (a lab CA and leaves with the dates each fault needs). A fault
 * replaces one file with an expiring or expired certificate, or the kubelet config kubeadm writes with one that
 * does not rotate certificates; {@link #heal()} writes the valid ones back.
 */
public final class KubePkiLab implements Lab {
    private static KubePkiLab shared;

    private final Path dir;
    private final LabCertificates certs;

    private KubePkiLab(Path dir, LabCertificates certs) {
        this.dir = dir;
        this.certs = certs;
    }

    public static synchronized KubePkiLab shared() {
        if (shared == null) {
            KubePkiLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-k8s-pki-lab-cleanup"));
            shared = lab;
        }
        return shared;
    }

    public static KubePkiLab start() {
        Path dir = LabFiles.tempDir("opsdoc-k8s-pki-");
        KubePkiLab lab = new KubePkiLab(dir, LabCertificates.generate(mkdir(dir.resolve("keytool"))));
        lab.heal();
        return lab;
    }

    private static Path mkdir(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String where() {
        return "PKI directory " + pkiDir() + ", kubeconfig " + adminConf() + " and kubelet config " + kubeletConfig();
    }

    public String pkiDir() {
        return dir.resolve("pki").toString();
    }

    public String adminConf() {
        return dir.resolve("admin.conf").toString();
    }

    /** The node's kubelet config, as /var/lib/kubelet/config.yaml. */
    public String kubeletConfig() {
        return dir.resolve("kubelet").resolve("config.yaml").toString();
    }

    /**
     * Someone replaced the kubelet's config: {@code explicit} true writes {@code rotateCertificates: false} (turned
     * off on purpose), false leaves the key out (a hand-written config, where the API's default false applies).
     */
    public void kubeletRotationOff(boolean explicit) throws IOException {
        String line = "rotateCertificates: true\n";
        String config = KUBELET_CONFIG.replace(line, explicit ? "rotateCertificates: false\n" : "");
        Files.writeString(Path.of(kubeletConfig()), config, StandardCharsets.UTF_8);
    }

    /**
     * The KubeletConfiguration kubeadm 1.32 writes on join/init (kubeadm's defaults: rotateCertificates true,
     * serverTLSBootstrap unset so the serving certificate is the kubelet's self-signed one).
     */
    private static final String KUBELET_CONFIG = """
            apiVersion: kubelet.config.k8s.io/v1beta1
            authentication:
              anonymous:
                enabled: false
              webhook:
                cacheTTL: 0s
                enabled: true
              x509:
                clientCAFile: /etc/kubernetes/pki/ca.crt
            authorization:
              mode: Webhook
              webhook:
                cacheAuthorizedTTL: 0s
                cacheUnauthorizedTTL: 0s
            cgroupDriver: systemd
            clusterDNS:
            - 10.96.0.10
            clusterDomain: cluster.local
            containerRuntimeEndpoint: ""
            cpuManagerReconcilePeriod: 0s
            crashLoopBackOff: {}
            evictionPressureTransitionPeriod: 0s
            fileCheckFrequency: 0s
            healthzBindAddress: 127.0.0.1
            healthzPort: 10248
            httpCheckFrequency: 0s
            imageMaximumGCAge: 0s
            imageMinimumGCAge: 0s
            kind: KubeletConfiguration
            logging:
              flushFrequency: 0
              options:
                json:
                  infoBufferSize: "0"
                text:
                  infoBufferSize: "0"
              verbosity: 0
            memorySwap: {}
            nodeStatusReportFrequency: 0s
            nodeStatusUpdateFrequency: 0s
            rotateCertificates: true
            runtimeRequestTimeout: 0s
            shutdownGracePeriod: 0s
            shutdownGracePeriodCriticalPods: 0s
            staticPodPath: /etc/kubernetes/manifests
            streamingConnectionIdleTimeout: 0s
            syncFrequency: 0s
            volumeStatsAggPeriod: 0s
            """;

    @Override
    public synchronized void heal() {
        try {
            Files.createDirectories(dir.resolve("pki").resolve("etcd"));
            Files.copy(certs.caFile(), dir.resolve("pki").resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            leaf(Kind.VALID, dir.resolve("pki").resolve("apiserver.crt"));
            leaf(Kind.VALID, dir.resolve("pki").resolve("etcd").resolve("server.crt"));
            adminConf(Kind.VALID);
            Files.createDirectories(dir.resolve("kubelet"));
            Files.writeString(Path.of(kubeletConfig()), KUBELET_CONFIG, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** pki/apiserver.crt replaced by a certificate of {@code kind} (EXPIRING: 20 days left, EXPIRED: 9 days ago). */
    public void apiserverCert(Kind kind) throws IOException {
        leaf(kind, dir.resolve("pki").resolve("apiserver.crt"));
    }

    /** admin.conf's embedded client certificate replaced by one of {@code kind}. */
    public void adminConf(Kind kind) throws IOException {
        Path pem = dir.resolve("admin-client.pem");
        leaf(kind, pem);
        String data = Base64.getEncoder().encodeToString(Files.readAllBytes(pem));
        Files.delete(pem);
        Files.writeString(dir.resolve("admin.conf"), """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    server: https://127.0.0.1:6443
                  name: kubernetes
                contexts:
                - context:
                    cluster: kubernetes
                    user: kubernetes-admin
                  name: kubernetes-admin@kubernetes
                current-context: kubernetes-admin@kubernetes
                users:
                - name: kubernetes-admin
                  user:
                    client-certificate-data: %s
                """.formatted(data), StandardCharsets.UTF_8);
    }

    /** Writes the leaf certificate of {@code kind} alone (keytool's chain also holds the CA; kubeadm's files do not). */
    private void leaf(Kind kind, Path file) throws IOException {
        Path key = dir.resolve("scratch.key");
        Path chain = dir.resolve("scratch.pem");
        certs.writePem(kind, chain, key);
        Files.delete(key);
        String text = Files.readString(chain, StandardCharsets.US_ASCII);
        String end = "-----END CERTIFICATE-----";
        Files.writeString(file, text.substring(0, text.indexOf(end) + end.length()) + "\n", StandardCharsets.US_ASCII);
        Files.delete(chain);
    }

    @Override
    public void close() {
        LabFiles.deleteRecursively(dir);
    }
}
