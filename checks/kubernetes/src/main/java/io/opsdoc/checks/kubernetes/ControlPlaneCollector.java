package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.opsdoc.checks.kubernetes.ControlPlaneFacts.Endpoint;
import io.opsdoc.checks.kubernetes.ControlPlaneFacts.LeaderLease;
import io.opsdoc.checks.kubernetes.ControlPlaneFacts.ServingCertificate;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The I/O half of {@link ControlPlaneHealth}: GET /version, /readyz?verbose and /livez?verbose through the client's
 * authenticated HTTP client, one TLS handshake with the API server to read the certificate it serves, and GET of the
 * two leader-election Leases in kube-system; then the control-plane nodes and their static pods
 * ({@link StaticPodCollector}).
 */
final class ControlPlaneCollector {
    private static final int MAX_LINES = 200;
    static final String LEASE_NAMESPACE = "kube-system";
    /** The Lease names kube-controller-manager and kube-scheduler elect their leader with (their --leader-elect-resource-name default). */
    static final List<String> LEADER_LEASES = List.of("kube-controller-manager", "kube-scheduler");

    private ControlPlaneCollector() {
    }

    static ControlPlaneFacts collect(CheckContext context) throws ProbeException {
        try (KubeSession session = KubeSession.open(context, ControlPlaneHealth.ID)) {
            ServerVersion version = session.version();
            String base = session.server().endsWith("/") ? session.server().substring(0, session.server().length() - 1)
                    : session.server();
            Endpoint readyz = endpoint(session, context, base, "/readyz?verbose");
            Endpoint livez = endpoint(session, context, base, "/livez?verbose");
            ServingCertificate cert = base.startsWith("https://") ? certificate(base, context) : null;
            List<LeaderLease> leases = new ArrayList<>();
            for (String component : LEADER_LEASES) {
                leases.add(lease(session, component));
            }
            List<ControlPlaneFacts.ControlPlaneNode> nodes = StaticPodCollector.nodes(session);
            List<String> addresses = StaticPodCollector.apiserverAddresses(session);
            List<ControlPlaneFacts.StaticPod> pods = StaticPodCollector.staticPods(session, nodes);
            return new ControlPlaneFacts(Instant.now(), version, base, readyz, livez, cert, leases, nodes, addresses, pods);
        }
    }

    /**
     * GET one leader-election Lease by name (get, not list: the Role can then name exactly these two objects).
     * 404 is a fact (no Lease), not an error; 403 and network failures are probe errors like any other call.
     */
    private static LeaderLease lease(KubeSession session, String component) throws ProbeException {
        Lease l = session.call("get lease " + LEASE_NAMESPACE + "/" + component, () -> session.client()
                .resources(Lease.class, LeaseList.class).inNamespace(LEASE_NAMESPACE).withName(component).get());
        if (l == null) {
            return new LeaderLease(component, false, null, null, null, null, null);
        }
        var spec = l.getSpec();
        if (spec == null) {
            return new LeaderLease(component, true, null, null, null, null, null);
        }
        return new LeaderLease(component, true, spec.getHolderIdentity(), spec.getLeaseDurationSeconds(),
                spec.getAcquireTime() == null ? null : spec.getAcquireTime().toInstant(),
                spec.getRenewTime() == null ? null : spec.getRenewTime().toInstant(), spec.getLeaseTransitions());
    }

    private static Endpoint endpoint(KubeSession session, CheckContext context, String base, String path) throws ProbeException {
        HttpClient http = session.client().getHttpClient();
        long millis = context.remainingMillis();
        HttpRequest request = http.newHttpRequestBuilder().uri(base + path).timeout(millis, TimeUnit.MILLISECONDS).build();
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, String.class).get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "the API server " + base + " did not answer GET " + path
                    + " before the deadline", e);
        } catch (ExecutionException e) {
            throw session.translate("GET " + path, new KubernetesClientException(FailureClassifier.oneLine(e.getCause()), e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "interrupted", e);
        }
        int code = response.code();
        if (code == 401 || code == 403) {
            throw session.translate("GET " + path, new KubernetesClientException("GET " + path + " returned " + code, code, null));
        }
        String body = response.body() == null ? "" : response.body();
        List<String> lines = body.lines().map(String::strip).filter(l -> !l.isEmpty()).limit(MAX_LINES).toList();
        return new Endpoint(path, code, lines);
    }

    /**
     * Reads the serving certificate from a TLS handshake. It trusts any certificate on purpose: it sends nothing
     * after the handshake, and it must be able to report a certificate that has expired or that it cannot verify.
     */
    private static ServingCertificate certificate(String base, CheckContext context) throws ProbeException {
        URI uri = URI.create(base);
        int port = uri.getPort() > 0 ? uri.getPort() : 443;
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new AcceptAny()}, null);
            try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), port), context.remainingMillis());
                socket.setSoTimeout(context.remainingMillis());
                if (uri.getHost().chars().anyMatch(Character::isLetter) && !uri.getHost().contains(":")) {
                    // the name the kubeconfig uses, so a load balancer routing by SNI shows the right certificate
                    var params = socket.getSSLParameters();
                    params.setServerNames(List.of(new javax.net.ssl.SNIHostName(uri.getHost())));
                    socket.setSSLParameters(params);
                }
                socket.startHandshake();
                Certificate[] chain = socket.getSession().getPeerCertificates();
                X509Certificate leaf = (X509Certificate) chain[0];
                return new ServingCertificate(leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(),
                        leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "the TLS handshake with " + base + " did not finish before the deadline", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot read the serving certificate of " + base + ": "
                    + FailureClassifier.oneLine(e), e);
        }
    }

    /** Accepts any server certificate: used only to read it, never to trust what follows. */
    private static final class AcceptAny implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
