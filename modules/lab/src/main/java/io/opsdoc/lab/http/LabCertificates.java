package io.opsdoc.lab.http;

import io.opsdoc.lab.support.Passwords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Server certificates for the HTTPS lab, made by the JDK's own {@code keytool}: a lab CA, one
 * server key pair, and certificates for that key signed by the CA with the dates and names each fault needs, plus
 * the key pair's own self-signed certificate. Trust the CA with {@link #caFile()} and every certificate but
 * {@link Kind#SELF_SIGNED} is trusted, so each fault shows exactly one problem. OCSP responses for stapling are signed
 * with BouncyCastle ({@link #ocspResponse}), because they must carry dates in the past.
 */
public final class LabCertificates {

    /** The certificates the lab serves, one HTTPS port each. */
    public enum Kind {
        /** CA-signed, names localhost and 127.0.0.1, valid from 30 days ago for a year. */
        VALID,
        /** The server key's self-signed certificate (localhost, 127.0.0.1, a year): untrusted. */
        SELF_SIGNED,
        /** CA-signed, valid from 10 days ago for 1 day: expired 9 days ago. */
        EXPIRED,
        /** CA-signed, valid from yesterday for 4 days: 3 days left, under the 7-day critical threshold. */
        EXPIRING_SOON,
        /** CA-signed, valid from yesterday for 21 days: 20 days left, under the 30-day warning threshold only. */
        EXPIRING,
        /** CA-signed and valid, but for wrong.example only. */
        WRONG_HOST
    }

    private final Path dir;
    /** Of every key store (PKCS12 needs one), fresh for each lab like the other labs' passwords. */
    private final String password = Passwords.random();
    private final Path caFile;
    private final Map<Kind, KeyStore> keyStores = new EnumMap<>(Kind.class);
    private X509Certificate caCert;
    private java.security.PrivateKey caKey;

    private LabCertificates(Path dir) {
        this.dir = dir;
        this.caFile = dir.resolve("lab-ca.pem");
    }

    /** Runs keytool (about 7 short JVM launches, in parallel where possible) into a temporary directory. */
    public static LabCertificates generate(Path dir) {
        LabCertificates c = new LabCertificates(dir);
        try {
            c.make();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the lab key stores", e);
        }
        return c;
    }

    /** PEM of the lab CA: pass it as {@code --set ca-file=...} to trust every CA-signed lab certificate. */
    public Path caFile() {
        return caFile;
    }

    /**
     * Writes {@code kind}'s chain (leaf first, then the lab CA where CA-signed) and its unencrypted PKCS#8 key as PEM,
     * for servers that read PEM files (nginx's ssl_certificate and ssl_certificate_key).
     */
    public void writePem(Kind kind, Path certFile, Path keyFile) {
        try {
            KeyStore ks = keyStores.get(kind);
            StringBuilder chain = new StringBuilder();
            for (Certificate c : ks.getCertificateChain("server")) {
                chain.append(pem((X509Certificate) c));
            }
            Files.writeString(certFile, chain, StandardCharsets.US_ASCII);
            Key key = ks.getKey("server", password.toCharArray());
            Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot export the " + kind + " certificate", e);
        }
    }

    /**
     * A DER OCSP response for {@code kind}'s certificate, signed by the lab CA (the CA answers for itself, as a small
     * CA does): good, or revoked a day ago, valid from {@code thisUpdate} to {@code nextUpdate}. What nginx staples
     * from ssl_stapling_file.
     */
    public byte[] ocspResponse(Kind kind, boolean revoked, java.time.Instant thisUpdate, java.time.Instant nextUpdate) {
        try {
            X509Certificate leaf = (X509Certificate) keyStores.get(kind).getCertificateChain("server")[0];
            var digests = new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build();
            var issuer = new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(caCert);
            var id = new org.bouncycastle.cert.ocsp.CertificateID(digests.get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1),
                    issuer, leaf.getSerialNumber());
            var builder = new org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder(caCert.getPublicKey(),
                    digests.get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1));
            builder.addResponse(id, revoked ? new org.bouncycastle.cert.ocsp.RevokedStatus(
                    java.util.Date.from(thisUpdate.minusSeconds(86_400)), org.bouncycastle.asn1.x509.CRLReason.keyCompromise)
                    : org.bouncycastle.cert.ocsp.CertificateStatus.GOOD, java.util.Date.from(thisUpdate),
                    java.util.Date.from(nextUpdate));
            var basic = builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                    .build(caKey), new org.bouncycastle.cert.X509CertificateHolder[] {issuer}, java.util.Date.from(thisUpdate));
            return new org.bouncycastle.cert.ocsp.OCSPRespBuilder().build(org.bouncycastle.cert.ocsp.OCSPRespBuilder.SUCCESSFUL,
                    basic).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                | org.bouncycastle.cert.ocsp.OCSPException e) {
            throw new IllegalStateException("cannot make the lab OCSP response", e);
        }
    }

    KeyStore keyStore(Kind kind) {
        return keyStores.get(kind);
    }

    String password() {
        return password;
    }

    private void make() throws IOException, GeneralSecurityException {
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        Path csr = dir.resolve("server.csr");
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "opsdoc-lab-keytool");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> caDone = pool.submit(() -> keytool("-genkeypair", "-keystore", ca.toString(), "-alias", "ca",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=opsdoc lab CA", "-ext", "bc:c",
                    "-validity", "3650", "-startdate", "-30d"));
            keytool("-genkeypair", "-keystore", server.toString(), "-alias", "server", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "365",
                    "-startdate", "-30d");
            keytool("-certreq", "-keystore", server.toString(), "-alias", "server", "-file", csr.toString());
            caDone.get();
            Map<Kind, Future<Path>> signed = new EnumMap<>(Kind.class);
            signed.put(Kind.VALID, pool.submit(() -> sign(ca, csr, Kind.VALID, "-30d", 365, "dns:localhost,ip:127.0.0.1")));
            signed.put(Kind.EXPIRED, pool.submit(() -> sign(ca, csr, Kind.EXPIRED, "-10d", 1, "dns:localhost,ip:127.0.0.1")));
            signed.put(Kind.EXPIRING_SOON, pool.submit(() -> sign(ca, csr, Kind.EXPIRING_SOON, "-1d", 4, "dns:localhost,ip:127.0.0.1")));
            signed.put(Kind.EXPIRING, pool.submit(() -> sign(ca, csr, Kind.EXPIRING, "-1d", 21, "dns:localhost,ip:127.0.0.1")));
            signed.put(Kind.WRONG_HOST, pool.submit(() -> sign(ca, csr, Kind.WRONG_HOST, "-1d", 365, "dns:wrong.example")));
            KeyStore caStore = load(ca);
            caCert = (X509Certificate) caStore.getCertificate("ca");
            caKey = (java.security.PrivateKey) caStore.getKey("ca", password.toCharArray());
            Files.writeString(caFile, pem(caCert), StandardCharsets.US_ASCII);
            KeyStore serverStore = load(server);
            Key key = serverStore.getKey("server", password.toCharArray());
            keyStores.put(Kind.SELF_SIGNED, serverStore);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Map.Entry<Kind, Future<Path>> e : signed.entrySet()) {
                X509Certificate leaf;
                try (InputStream in = Files.newInputStream(e.getValue().get())) {
                    leaf = (X509Certificate) cf.generateCertificate(in);
                }
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("server", key, password.toCharArray(), new Certificate[] {leaf, caCert});
                keyStores.put(e.getKey(), ks);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the lab certificates", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private Path sign(Path ca, Path csr, Kind kind, String start, int validityDays, String san) throws IOException {
        Path out = dir.resolve(kind.name().toLowerCase() + ".pem");
        keytool("-gencert", "-keystore", ca.toString(), "-alias", "ca", "-infile", csr.toString(), "-outfile",
                out.toString(), "-rfc", "-startdate", start, "-validity", Integer.toString(validityDays), "-ext", "san=" + san);
        return out;
    }

    private KeyStore load(Path p12) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static String pem(X509Certificate cert) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    private Void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", password, "-noprompt"));
        if (args[0].equals("-genkeypair")) {
            cmd.addAll(List.of("-keypass", password));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
        return null;
    }
}
