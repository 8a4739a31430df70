package io.opsdoc.lab.redis;

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
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throw-away TLS identity for lab servers, made with the JDK's keytool and written as PEM for redis-server. */
final class LabTls {
    private static final String PASSWORD = "opsdoc-lab";

    private LabTls() {
    }

    /**
     * A self-signed certificate for 127.0.0.1 and localhost (2 days) and its key, in {@code dir}.
     *
     * @return {cert.pem, key.pem}
     */
    static Path[] selfSigned(Path dir) {
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve("lab.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "lab", "-keyalg", "RSA", "-keysize",
                    "2048", "-validity", "2", "-dname", "CN=opsdoc-lab", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make the lab's TLS certificate: " + out);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            Certificate cert = ks.getCertificate("lab");
            Key key = ks.getKey("lab", PASSWORD.toCharArray());
            Path certPem = dir.resolve("cert.pem");
            Path keyPem = dir.resolve("key.pem");
            Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
            // PKCS#8 ("BEGIN PRIVATE KEY"), which OpenSSL reads for any key type
            Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
            return new Path[] {certPem, keyPem};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the lab's TLS certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the lab's TLS certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the lab's TLS certificate", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
