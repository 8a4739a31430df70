package io.opsdoc.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS context that trusts exactly the CA certificates of one PEM file (a target's {@code cacert}): a private CA is
 * trusted instead of the JVM's roots, never in addition, so a check pointed at it cannot be satisfied by a public one.
 */
public final class PemTrust {
    private PemTrust() {
    }

    public static SSLContext trustingOnly(Path pemFile) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(pemFile), null);
        return context;
    }

    /** The trust managers of {@link #trustingOnly}, for a context that also sends a client certificate. */
    public static TrustManager[] trustManagers(Path pemFile) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no certificate in cacert file " + pemFile);
        }
        int n = 0;
        for (Certificate c : certs) {
            trust.setCertificateEntry("ca-" + n++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }
}
