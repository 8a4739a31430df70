package io.opsdoc.checks.docker;

import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.PemTrust;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One GET over TLS to dockerd's 2376, as the docker CLI does it with --tlsverify: the daemon's certificate checked
 * against ca-file (or the JVM's CAs) and against the host name, the client certificate sent. A blocking socket whose
 * connect and every read wait at most until the deadline (the selector loop of {@link EngineClient} would need an
 * SSLEngine for the same). Refusals are told apart: our trust of the daemon (PROBE_FAILED), the daemon's of us
 * (AUTH_FAILED), no TLS on the port (PROTOCOL_ERROR).
 */
final class EngineTls {
    private EngineTls() {
    }

    static byte[] exchange(EngineEndpoint e, String path, Instant deadline, byte[] request) throws ProbeException {
        ClientKeys keys = new ClientKeys();
        SSLContext context = context(e.tls(), keys);
        InetSocketAddress u = (InetSocketAddress) e.address();
        InetSocketAddress address = new InetSocketAddress(u.getHostString(), u.getPort());
        if (address.isUnresolved()) {
            throw new ProbeException(ProbeErrors.UNREACHABLE, "cannot resolve host '" + u.getHostString() + "' (DNS)");
        }
        try (Socket raw = new Socket()) {
            raw.connect(address, left(deadline));
            raw.setSoTimeout(left(deadline));
            try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, u.getHostString(), u.getPort(), true)) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.startHandshake();
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[64 * 1024];
                InputStream in = s.getInputStream();
                while (true) {
                    s.setSoTimeout(left(deadline));
                    int n = in.read(buf);
                    if (n < 0 && out.size() == 0) {
                        // a hang-up before any answer: translate() decides whether it was a refusal of our certificate
                        throw new java.io.EOFException("closed by the peer before answering");
                    }
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    if (out.size() > EngineClient.MAX_RESPONSE) {
                        throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET " + path + " on " + e.where()
                                + ": the answer is larger than " + (EngineClient.MAX_RESPONSE >> 20) + " MiB");
                    }
                    if (EngineClient.complete(out.toByteArray(), e, path)) {
                        break;
                    }
                }
                return out.toByteArray();
            }
        } catch (SocketTimeoutException ex) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "GET " + path + " on " + e.where() + ": no answer before the "
                    + "deadline (packets dropped, or the peer accepted and said nothing)", ex);
        } catch (IOException ex) {
            throw translate(ex, e, keys.asked);
        }
    }

    /** Milliseconds to the deadline, at least 1 (0 would mean "no timeout" to a socket). */
    private static int left(Instant deadline) throws SocketTimeoutException {
        long ms = Duration.between(Instant.now(), deadline).toMillis();
        if (ms <= 0) {
            throw new SocketTimeoutException("deadline reached");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /**
     * @param asked the daemon sent a CertificateRequest: with TLS 1.3 it judges the client's certificate after the
     *              handshake, and its refusal reaches us as an alert or, as often, as a plain reset (it closes with our
     *              request unread), so a failure after that request is its verdict on our certificate either way
     */
    private static ProbeException translate(IOException ex, EngineEndpoint e, boolean asked) {
        EngineEndpoint.Tls t = e.tls();
        boolean refusedUs = false;
        for (Throwable c = ex; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("pkix path") || m.contains("certification path") || m.contains("certpath")) {
                break;
            }
            refusedUs |= c instanceof SSLException && m.contains("received fatal alert") && (m.contains("certificate_required")
                    || m.contains("bad_certificate") || m.contains("unknown_ca") || m.contains("certificate_unknown")
                    || m.contains("access_denied") || m.contains("certificate_expired"));
            refusedUs |= asked && FailureClassifier.reset(c);
        }
        for (Throwable c = ex; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (!(c instanceof SSLException) && !refusedUs) {
                continue;
            }
            if (refusedUs) {
                return new ProbeException(ProbeErrors.AUTH_FAILED, t.certFile() == null
                        ? "dockerd on " + e.where() + " requires a client certificate (--tlsverify) and none was given: "
                                + "set cert-file and key-file, or cert-dir (" + FailureClassifier.oneLine(c) + ")"
                        : "dockerd on " + e.where() + " refused the client certificate " + t.certFile() + ": not signed "
                                + "by the CA of its --tlscacert, or expired (" + FailureClassifier.oneLine(c) + ")", ex);
            }
            if (m.contains("pkix path") || m.contains("certification path") || m.contains("certpath")) {
                return new ProbeException(ProbeErrors.PROBE_FAILED, "dockerd's certificate on " + e.where() + " is not "
                        + "signed by " + (t.caFile() == null ? "a CA this JVM trusts: give its CA with ca-file= or cert-dir="
                                : "the CA in ca-file " + t.caFile() + ": the wrong CA file, or not the daemon meant"), ex);
            }
            if (m.contains("no subject alternative") || m.contains("no name matching")) {
                return new ProbeException(ProbeErrors.PROBE_FAILED, "dockerd's certificate does not name "
                        + ((InetSocketAddress) e.address()).getHostString() + " (" + FailureClassifier.oneLine(c)
                        + "): connect by a name or address the certificate lists", ex);
            }
        }
        FailureClassifier.Failure f = FailureClassifier.network(ex, e.where(), ((InetSocketAddress) e.address()).getHostString());
        if (f != null) {
            String hint = f.code() == ProbeErrors.PROTOCOL_ERROR ? ": a plain Engine API (2375)? then drop the TLS options" : "";
            return new ProbeException(f.code(), f.reason() + hint, ex);
        }
        if (ex instanceof SSLException) {
            return new ProbeException(ProbeErrors.PROBE_FAILED, "TLS with " + e.where() + " failed: "
                    + FailureClassifier.oneLine(ex), ex);
        }
        return new ProbeException(ProbeErrors.UNREACHABLE, "cannot connect to " + e.where() + ": "
                + FailureClassifier.oneLine(ex), ex);
    }

    /** Built for each call (milliseconds): a renewed certificate is used at once, by a long-running serve as well. */
    private static SSLContext context(EngineEndpoint.Tls t, ClientKeys keys) throws ProbeException {
        try {
            return build(t, keys);
        } catch (IOException | GeneralSecurityException ex) {
            // the message names the file and what is wrong with it, never its content
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot use the TLS files: " + FailureClassifier.oneLine(ex));
        }
    }

    private static SSLContext build(EngineEndpoint.Tls t, ClientKeys recorder) throws IOException, GeneralSecurityException {
        if (t.certFile() != null) {
            Certificate[] chain;
            try (InputStream in = Files.newInputStream(t.certFile())) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
            } catch (GeneralSecurityException ex) {
                throw new GeneralSecurityException("cert-file " + t.certFile() + " holds no PEM certificate");
            }
            if (chain.length == 0) {
                throw new GeneralSecurityException("cert-file " + t.certFile() + " holds no PEM certificate");
            }
            PrivateKey key;
            try {
                key = PemKeys.read(Files.readString(t.keyFile(), StandardCharsets.US_ASCII));
            } catch (GeneralSecurityException | IllegalArgumentException ex) {
                throw new GeneralSecurityException("key-file " + t.keyFile() + ": " + ex.getMessage());
            }
            char[] none = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, none, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            for (KeyManager k : kmf.getKeyManagers()) {
                if (k instanceof X509ExtendedKeyManager x) {
                    recorder.delegate = x;
                }
            }
        }
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(new KeyManager[] {recorder}, t.caFile() == null ? null : PemTrust.trustManagers(t.caFile()), null);
        return c;
    }

    /** The client's key (if any), noting whether the daemon asked for a client certificate at all. */
    private static final class ClientKeys extends X509ExtendedKeyManager {
        volatile boolean asked;
        X509ExtendedKeyManager delegate;

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            asked = true;
            return delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            asked = true;
            return delegate == null ? null : delegate.chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate == null ? null : delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate == null ? null : delegate.getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
