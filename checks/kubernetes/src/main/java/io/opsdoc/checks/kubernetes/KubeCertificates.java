package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.CertsCode.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.opsdoc.core.CertificateExpiry;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * When do the cluster's own certificates expire? Reads, on the control-plane node opsdoc runs on, every certificate
 * file under the PKI directory (kubeadm's /etc/kubernetes/pki and pki/etcd) and the client certificate of every
 * kubeconfig it is given (admin.conf, controller-manager.conf, scheduler.conf, kubelet.conf), embedded or referenced.
 * The expiry rule and its thresholds are the ones http-status and tls-endpoint use ({@link CertificateExpiry}).
 */
public final class KubeCertificates extends DescribedCheck<CertsFacts> {
    public static final String ID = "k8s-certs";
    static final String NOTE = "kubernetes/certificates";
    private static final int MAX_FILES = 500;

    private static final List<ParameterSpec> PARAMETERS = Stream.concat(Stream.of(
            new ParameterSpec("pki-dir", ParameterType.STRING, "/etc/kubernetes/pki",
                    "directory whose *.crt and *.pem files (and those of its subdirectories, e.g. etcd/) are read; "
                            + "empty: none"),
            new ParameterSpec("kubeconfigs", ParameterType.STRING, "/etc/kubernetes/admin.conf,"
                    + "/etc/kubernetes/super-admin.conf,/etc/kubernetes/controller-manager.conf,"
                    + "/etc/kubernetes/scheduler.conf,/etc/kubernetes/kubelet.conf",
                    "comma-separated kubeconfig files whose users' client certificates are read (absent files are "
                            + "skipped: kubelet.conf or super-admin.conf exist only on some nodes)"),
            new ParameterSpec("cert-files", ParameterType.STRING, "/var/lib/kubelet/pki/kubelet-server-current.pem,"
                    + "/var/lib/kubelet/pki/kubelet.crt",
                    "comma-separated further certificate files, absent ones skipped (default: the kubelet's serving "
                            + "certificate, rotated or self-signed)"),
            new ParameterSpec("kubelet-config", ParameterType.STRING, "/var/lib/kubelet/config.yaml",
                    "the kubelet's KubeletConfiguration file, read for rotateCertificates and serverTLSBootstrap "
                            + "(absent: skipped; empty: not read)")),
            CertificateExpiry.PARAMETERS.stream()).toList();

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("local files", List.of(
            "read the certificate files under pki-dir (*.crt, *.pem)", "read the kubeconfig files listed in kubeconfigs",
            "read the kubelet config file (kubelet-config)"),
            "root, or a user in a group given read access to these files: kubeconfigs also hold private keys, so "
                    + "prefer running as root over widening their permissions; *.key files are never opened"));

    public KubeCertificates() {
        super(ID, "local", "When do the control plane's certificate files and the kubeconfigs' client certificates "
                + "expire?", CertsFacts.class, PARAMETERS, CertsCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        if (!"local".equals(target.scheme()) || !(target.path().isEmpty() || target.path().equals("//"))) {
            throw new UsageException("k8s-certs reads files on the node opsdoc runs on: use the target local:, not "
                    + target.display() + " (the API server's serving certificate over the network: k8s-control-plane "
                    + "or tls-endpoint)");
        }
    }

    @Override
    public CertsFacts collect(CheckContext context) throws Exception {
        Parameters p = context.parameters();
        List<CertsFacts.Cert> certs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String pki = p.string("pki-dir").trim();
        if (!pki.isEmpty()) {
            Path dir = Path.of(pki);
            if (Files.isDirectory(dir)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(dir, 3)) {
                    files = walk.filter(Files::isRegularFile).filter(f -> {
                        String n = f.getFileName().toString();
                        return n.endsWith(".crt") || n.endsWith(".pem");
                    }).sorted().limit(MAX_FILES).toList();
                } catch (IOException | java.io.UncheckedIOException e) {
                    throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "cannot list " + dir + ": " + e.getMessage()
                            + " (run as root or as a user allowed to read it)");
                }
                for (Path f : files) {
                    try {
                        certs.add(cert(f.toString(), Files.readAllBytes(f)));
                    } catch (AccessDeniedException e) {
                        skipped.add(f + ": permission denied");
                    } catch (IOException | CertificateException e) {
                        skipped.add(f + ": not a PEM certificate");
                    }
                }
            } else {
                skipped.add(dir + ": no such directory");
            }
        }
        for (String f : p.string("cert-files").split(",")) {
            Path file = Path.of(f.trim());
            if (!f.isBlank() && Files.isRegularFile(file)) {
                try {
                    certs.add(cert(file.toString(), Files.readAllBytes(file)));
                } catch (IOException | CertificateException e) {
                    skipped.add(file + ": not a readable PEM certificate");
                }
            }
        }
        for (String k : p.string("kubeconfigs").split(",")) {
            if (!k.isBlank()) {
                kubeconfig(Path.of(k.trim()), certs, skipped);
            }
        }
        String kubeletFile = p.string("kubelet-config").trim();
        CertsFacts.KubeletConfig kubelet = kubeletFile.isEmpty() ? null : KubeletConfigFile.read(Path.of(kubeletFile), skipped);
        if (certs.isEmpty() && kubelet == null) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "no certificate found to judge: " + (skipped.isEmpty()
                    ? "pki-dir and kubeconfigs are empty" : String.join("; ", skipped))
                    + " (is this a control-plane node? set pki-dir and kubeconfigs)");
        }
        return new CertsFacts(Instant.now(), certs, skipped, kubelet);
    }

    private static void kubeconfig(Path file, List<CertsFacts.Cert> certs, List<String> skipped) {
        if (!Files.exists(file)) {
            return;
        }
        JsonNode doc;
        try {
            doc = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (AccessDeniedException e) {
            skipped.add(file + ": permission denied");
            return;
        } catch (IOException e) {
            skipped.add(file + ": not a YAML kubeconfig");
            return;
        }
        for (JsonNode u : doc == null ? List.<JsonNode>of() : iterable(doc.path("users"))) {
            String name = u.path("name").asText("?");
            JsonNode user = u.path("user");
            String source = file + " (user " + name + ")";
            try {
                if (user.hasNonNull("client-certificate-data")) {
                    certs.add(cert(source, Base64.getMimeDecoder().decode(user.get("client-certificate-data").asText())));
                } else if (user.hasNonNull("client-certificate")) {
                    Path ref = file.resolveSibling(user.get("client-certificate").asText());
                    certs.add(cert(source + " -> " + ref, Files.readAllBytes(ref)));
                }
            } catch (IOException | CertificateException | IllegalArgumentException e) {
                skipped.add(source + ": client certificate unreadable");
            }
        }
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /** The first certificate of a PEM (or DER) file: the leaf of a chain. */
    private static CertsFacts.Cert cert(String source, byte[] bytes) throws CertificateException {
        Collection<? extends java.security.cert.Certificate> all;
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            all = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new CertificateException(e);
        }
        if (all.isEmpty()) {
            throw new CertificateException("no certificate");
        }
        X509Certificate c = (X509Certificate) all.iterator().next();
        return new CertsFacts.Cert(source, c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), c.getBasicConstraints() >= 0);
    }

    @Override
    public void evaluate(CertsFacts facts, Parameters p, Evaluation.Builder out) {
        double min = Double.MAX_VALUE;
        for (CertsFacts.Cert c : facts.certs()) {
            CertificateExpiry.Verdict v = CertificateExpiry.judge(c.notBefore(), c.notAfter(), facts.observedAt(), p);
            min = Math.min(min, v.daysLeft());
            Evidence e = Evidence.of("source", c.source(), "subject", c.subject(), "issuer", c.issuer(), "ca", c.ca(),
                    "not_before", c.notBefore().toString(), "not_after", c.notAfter().toString(), "days_left", v.daysLeft());
            String renew = renewal(c);
            switch (v.state()) {
                case EXPIRED -> out.finding(CERT_EXPIRED, Severity.CRITICAL, c.source() + " (" + c.subject()
                        + ") expired on " + c.notAfter() + ", " + String.format(Locale.ROOT, "%.1f", -v.daysLeft())
                        + " days ago: " + who(c) + " fails with x509 errors. " + renew, e, c.source());
                case NOT_YET_VALID -> out.finding(CERT_EXPIRED, Severity.CRITICAL, c.source() + " (" + c.subject()
                        + ") is not valid before " + c.notBefore() + ": this node's clock or the issuer's is wrong; "
                        + "fix the time (chrony/NTP) before renewing anything", e, c.source());
                case EXPIRING_WARNING, EXPIRING_CRITICAL -> out.finding(CERT_EXPIRING,
                        v.state() == CertificateExpiry.State.EXPIRING_CRITICAL ? Severity.CRITICAL : Severity.WARNING,
                        c.source() + " (" + c.subject() + ") expires on " + c.notAfter() + ", in "
                                + String.format(Locale.ROOT, "%.1f", v.daysLeft()) + " days (" + v.threshold() + " "
                                + p.raw().get(v.threshold()) + "). " + renew,
                        e.put(v.threshold(), p.raw().get(v.threshold())), c.source());
                default -> {
                }
            }
        }
        out.metric(Metric.of("k8s_certs_checked", facts.certs().size(), ""));
        if (!facts.certs().isEmpty()) {
            out.metric(new Metric("k8s_cert_min_days_left", min, "d", java.util.Map.of(),
                    p.duration("cert-warning").toHours() / 24.0, p.duration("cert-critical").toHours() / 24.0));
        }
        rotation(facts, out);
    }

    /**
     * WARNING, not CRITICAL: nothing fails until the kubelet's client certificate (one year with kubeadm) runs out,
     * and the evidence says when that is. Only the config file is read: a --rotate-certificates flag on the
     * kubelet's command line (deprecated) would override it, which the summary says.
     */
    private static void rotation(CertsFacts facts, Evaluation.Builder out) {
        CertsFacts.KubeletConfig k = facts.kubelet();
        if (k == null || Boolean.TRUE.equals(k.rotateCertificates())) {
            return;
        }
        CertsFacts.Cert client = facts.certs().stream().filter(c -> c.source().contains("kubelet-client")
                || c.source().contains("kubelet.conf")).findFirst().orElse(null);
        String setting = k.rotateCertificates() == null ? "does not set rotateCertificates (the default is false)"
                : "sets rotateCertificates: false";
        Evidence e = Evidence.of("file", k.file(), "rotateCertificates", k.rotateCertificates() == null ? "unset"
                : k.rotateCertificates().toString(), "serverTLSBootstrap", k.serverTLSBootstrap() == null ? "unset"
                : k.serverTLSBootstrap().toString());
        if (client != null) {
            e.put("client_cert", client.source()).put("client_not_after", client.notAfter().toString());
        }
        out.finding(KUBELET_CERT_ROTATION_OFF, Severity.WARNING, "the kubelet config " + k.file() + " " + setting
                + ": the kubelet will not request a new client certificate before its current one expires"
                + (client == null ? "" : " (" + client.source() + ", on " + client.notAfter() + ")")
                + ", and then it can no longer reach the API server and the node goes NotReady. Set rotateCertificates: "
                + "true (kubeadm writes it so) and restart the kubelet, unless its command line already has "
                + "--rotate-certificates; check that kubelet-client-current.pem in /var/lib/kubelet/pki/ is renewed",
                e, "kubelet-config");
    }

    private static String who(CertsFacts.Cert c) {
        return c.ca() ? "everything it signed stops being trusted and the cluster" : "whatever presents or verifies it";
    }

    /** What renews it, by the kind of certificate the source names. */
    private static String renewal(CertsFacts.Cert c) {
        String s = c.source();
        if (c.ca()) {
            return "A CA is not renewed by kubeadm certs renew: plan a CA rotation (new CA, re-issue every certificate "
                    + "and kubeconfig signed by it), long before its end";
        }
        if (s.contains("kubelet-server") || s.endsWith("kubelet.crt")) {
            return "The kubelet's serving certificate: with serverTLSBootstrap it is renewed through a CSR someone must "
                    + "approve (kubectl get csr); the self-signed kubelet.crt is re-made when the kubelet restarts";
        }
        if (s.contains("kubelet.conf") || s.contains("kubelet-client")) {
            return "The kubelet renews its client certificate itself when rotateCertificates is on (kubeadm's default): "
                    + "check the kubelet's log for certificate errors and pending CSRs (kubectl get csr)";
        }
        if (s.contains(".conf")) {
            return "Renew it: kubeadm certs renew " + kubeadmName(s) + " on this node, then restart the component "
                    + "using it (or copy the new admin.conf to ~/.kube/config)";
        }
        return "Renew it: kubeadm certs check-expiration, kubeadm certs renew " + kubeadmName(s)
                + " on each control-plane node, then restart the static pods using it";
    }

    private static String kubeadmName(String source) {
        String f = Path.of(source.replaceAll(" \\(user .*", "")).getFileName().toString();
        if (f.endsWith(".conf")) {
            return f.substring(0, f.length() - ".conf".length()) + ".conf";
        }
        String base = f.replaceAll("\\.(crt|pem)$", "");
        return source.contains("/etcd/") ? "etcd-" + base : base;
    }
}
