package io.opsdoc.checks.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the server certificate of an https response and judges its chain, separately from the handshake.
 *
 * <p>The HTTP client's TLS context accepts any server certificate ({@link #inspectingContext()}), so that an
 * expired, self-signed or wrongly named certificate still gives a response and a certificate to report, with its
 * days to expiry, instead of only "handshake failed". That is safe here because the check never sends anything
 * worth protecting: no credentials, no cookies, no body, only a GET or HEAD of a URL the operator typed. Trust is
 * then decided from the captured chain against the JVM's default trust store plus the optional {@code ca-file}
 * ({@link #trust}), and the host name is matched in evaluate ({@link HostnameMatch}).
 *
 * <p>Thread-safe: the caches are concurrent maps, the trust anchors are immutable once built.
 */
final class TlsInspector {
    private static final int CACHE_LIMIT = 1024;
    /** Trust verdicts per (chain fingerprint, ca-file): building a certification path costs far more than a request. */
    private static final Map<String, Verdict> VERDICTS = new ConcurrentHashMap<>();
    /** Trust anchors per ca-file ("" for the default store alone), invalidated when the file changes. */
    private static final Map<String, Anchors> ANCHORS = new ConcurrentHashMap<>();

    record Verdict(boolean trusted, String problem) {
    }

    private record Anchors(long modified, Set<TrustAnchor> anchors) {
    }

    private TlsInspector() {
    }

    /** The TLS context of the shared client: it accepts every server certificate (see the class comment). */
    static SSLContext inspectingContext() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new AcceptForInspection()}, null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    static HttpFacts.Tls inspect(SSLSession session, String host, String caFile) throws IOException {
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : peer) {
            if (c instanceof X509Certificate x) {
                chain.add(x);
            }
        }
        if (chain.isEmpty()) {
            return null;
        }
        X509Certificate leaf = chain.get(0);
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2) {
                        dns.add(String.valueOf(san.get(1)));
                    } else if (type == 7) {
                        ips.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // an unparseable SAN extension names nothing: the host cannot match
        }
        String fingerprint = fingerprint(chain);
        Verdict verdict = trust(chain, fingerprint, caFile);
        boolean selfSigned = leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
        return new HttpFacts.Tls(host, session.getProtocol(), session.getCipherSuite(),
                leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(), dns, ips,
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), fingerprint.substring(0, 64),
                chain.size(), verdict.trusted(), verdict.problem(), selfSigned);
    }

    /**
     * Does the chain lead to a trusted root? Judged at a moment inside the leaf's validity when it is expired or not
     * yet valid, so that CERT_EXPIRED and CERT_UNTRUSTED each say one thing. Revocation is not checked (no network
     * calls to OCSP responders from a probe).
     */
    static Verdict trust(List<X509Certificate> chain, String fingerprint, String caFile) throws IOException {
        String key = fingerprint + "|" + (caFile == null ? "" : caFile);
        Verdict cached = VERDICTS.get(key);
        if (cached != null) {
            return cached;
        }
        X509Certificate leaf = chain.get(0);
        long now = System.currentTimeMillis();
        long at = now;
        if (now > leaf.getNotAfter().getTime()) {
            at = leaf.getNotAfter().getTime() - 1000;
        } else if (now < leaf.getNotBefore().getTime()) {
            at = leaf.getNotBefore().getTime() + 1000;
        }
        Verdict v;
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors(caFile), target);
            params.setRevocationEnabled(false);
            params.setDate(new Date(at));
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            CertPathBuilder.getInstance("PKIX").build(params);
            v = new Verdict(true, null);
        } catch (CertPathBuilderException e) {
            boolean selfSigned = leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
            v = new Verdict(false, selfSigned
                    ? "self-signed certificate, not in the trust store" + (caFile == null ? "" : " nor in " + caFile)
                    : "no chain from the certificate to a trusted root (issuer " + leaf.getIssuerX500Principal().getName()
                            + "; a missing intermediate or a private CA" + (caFile == null ? " not given with ca-file)" : " not in " + caFile + ")"));
        } catch (GeneralSecurityException e) {
            v = new Verdict(false, "cannot validate the chain: " + e.getMessage());
        }
        if (VERDICTS.size() > CACHE_LIMIT) {
            VERDICTS.clear();
        }
        VERDICTS.put(key, v);
        return v;
    }

    private static Set<TrustAnchor> anchors(String caFile) throws IOException, GeneralSecurityException {
        String key = caFile == null ? "" : caFile;
        long modified = caFile == null ? 0 : Files.getLastModifiedTime(Path.of(caFile)).toMillis();
        Anchors a = ANCHORS.get(key);
        if (a != null && a.modified() == modified) {
            return a.anchors();
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                Arrays.stream(x.getAcceptedIssuers()).forEach(c -> anchors.add(new TrustAnchor(c, null)));
            }
        }
        if (caFile != null) {
            List<X509Certificate> extra = readPem(Path.of(caFile));
            if (extra.isEmpty()) {
                throw new IOException("ca-file " + caFile + " holds no PEM certificate");
            }
            extra.forEach(c -> anchors.add(new TrustAnchor(c, null)));
        }
        Set<TrustAnchor> frozen = Set.copyOf(anchors);
        ANCHORS.put(key, new Anchors(modified, frozen));
        return frozen;
    }

    static List<X509Certificate> readPem(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : cf.generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        return out;
    }

    private static String fingerprint(List<X509Certificate> chain) {
        try {
            MessageDigest leafDigest = MessageDigest.getInstance("SHA-256");
            MessageDigest chainDigest = MessageDigest.getInstance("SHA-256");
            String leaf = HexFormat.of().formatHex(leafDigest.digest(chain.get(0).getEncoded()));
            for (X509Certificate c : chain) {
                chainDigest.update(c.getEncoded());
            }
            // leaf fingerprint (shown as evidence) + chain fingerprint (the cache key: the same leaf may come with
            // or without its intermediate)
            return leaf + HexFormat.of().formatHex(chainDigest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Accepts any server certificate for the length of one read-only request, and skips the JSSE host name check
     * (an {@link X509ExtendedTrustManager} is trusted to do it itself): both are judged afterwards, from the chain.
     */
    private static final class AcceptForInspection extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // judged later by TlsInspector.trust and HostnameMatch
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // judged later by TlsInspector.trust and HostnameMatch
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // judged later by TlsInspector.trust and HostnameMatch
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
