package io.opsdoc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Secret;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.server.alerts.AlertService;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve over HTTPS from a PKCS#12 key store made with the JDK's keytool, as an operator would make one. */
class TlsServeTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsWithTheKeyStoresCertificate() throws Exception {
        Path ks = dir.resolve("serve.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "serve",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit-serve")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        OpsdocServer.Settings settings = new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8, OpsdocServer.DEFAULT_MAX_BODY, 0,
                Optional.of(new OpsdocServer.Tls(ks, Secret.of("changeit-serve", "test"))), AlertService.Settings.defaults());
        try (OpsdocServer server = new OpsdocServer(settings, null, CheckRegistry.load(), NoteCatalog.load(), Map.of())) {
            server.start();
            URI health = URI.create("https://127.0.0.1:" + server.address().getPort() + "/healthz");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ks)) {
                trust.load(in, "changeit-serve".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient trusting = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok\n");

            HttpClient defaults = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> defaults.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("a self-signed certificate is not trusted by default").isInstanceOf(SSLHandshakeException.class);
            URI plain = URI.create("http://127.0.0.1:" + server.address().getPort() + "/healthz");
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("plain HTTP to the TLS port gets no answer").isInstanceOf(java.io.IOException.class);
        }
    }
}
