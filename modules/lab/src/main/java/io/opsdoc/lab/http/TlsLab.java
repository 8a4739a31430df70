package io.opsdoc.lab.http;

import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.SilentTcpServer;
import io.opsdoc.lab.edge.LabNginx;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * tls-endpoint's lab: one Debian nginx with a TLS port per lab certificate (valid, self-signed, expired, expiring,
 * for another host; TLS 1.2/1.3 only), and three ports that differ only in protocols: TLS 1.0/1.1 left on beside
 * TLS 1.2, TLS 1.0/1.1 only, and TLS 1.0/1.1 listed in ssl_protocols but refused by OpenSSL 3's default security
 * level; and three ports that staple a pre-made OCSP response from ssl_stapling_file (good, revoked, stale), so no
 * responder is needed. Debian's OpenSSL 3 negotiates TLS 1.0/1.1 only at {@code @SECLEVEL=0}: at the default level 2 (and at 1)
 * a server whose config still lists {@code TLSv1} answers a TLS 1.0 hello with a protocol_version alert. Nothing here
 * breaks or heals: every fault is a port.
 */
public final class TlsLab implements Lab {
    private static TlsLab shared;
    private final Path dir;
    private final LabCertificates certificates;
    private final Map<LabCertificates.Kind, Integer> ports = new EnumMap<>(LabCertificates.Kind.class);
    private final int legacyAlongside;
    private final int legacyOnly;
    private final int legacyListed;
    private final int plain;
    private final int stapledGood;
    private final int stapledRevoked;
    private final int stapledStale;
    private final LabNginx nginx;
    private final SilentTcpServer blackHole;
    private final LabSmtpStartTls smtpValid;
    private final LabSmtpStartTls smtpExpired;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TlsLab() {
        dir = LabFiles.tempDir("opsdoc-tls-lab");
        certificates = LabCertificates.generate(dir);
        // the servers in this JVM bind first: a port nginx is promised must not be handed to one of them a moment later
        // (a clean-clone CI run lost nginx that way: its bind failed, the black hole answered on that port)
        blackHole = SilentTcpServer.start();
        smtpValid = new LabSmtpStartTls(certificates.keyStore(LabCertificates.Kind.VALID), certificates.password());
        smtpExpired = new LabSmtpStartTls(certificates.keyStore(LabCertificates.Kind.EXPIRED), certificates.password());
        int[] free = Ports.freePorts(LabCertificates.Kind.values().length + 7);
        int i = 0;
        StringBuilder http = new StringBuilder();
        List<Integer> all = new ArrayList<>();
        for (LabCertificates.Kind kind : LabCertificates.Kind.values()) {
            ports.put(kind, free[i]);
            http.append(server(free[i++], kind, "TLSv1.2 TLSv1.3", null));
        }
        legacyAlongside = free[i++];
        legacyOnly = free[i++];
        legacyListed = free[i++];
        plain = free[i++];
        stapledGood = free[i++];
        stapledRevoked = free[i++];
        stapledStale = free[i];
        Instant now = Instant.now();
        http.append(stapling(stapledGood, "good", certificates.ocspResponse(LabCertificates.Kind.VALID, false,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)))));
        http.append(stapling(stapledRevoked, "revoked", certificates.ocspResponse(LabCertificates.Kind.VALID, true,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)))));
        http.append(stapling(stapledStale, "stale", certificates.ocspResponse(LabCertificates.Kind.VALID, false,
                now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(1)))));
        http.append(server(legacyAlongside, LabCertificates.Kind.VALID, "TLSv1 TLSv1.1 TLSv1.2", "DEFAULT:@SECLEVEL=0"));
        http.append(server(legacyOnly, LabCertificates.Kind.VALID, "TLSv1 TLSv1.1", "DEFAULT:@SECLEVEL=0"));
        http.append(server(legacyListed, LabCertificates.Kind.VALID, "TLSv1 TLSv1.1 TLSv1.2", null));
        http.append("  server { listen 127.0.0.1:").append(plain).append("; location / { return 200 \"plain\\n\"; } }\n");
        for (int p : free) {
            all.add(p);
        }
        try {
            nginx = LabNginx.start(dir.resolve("nginx"), "worker_connections 64;", http.toString(), all);
        } catch (RuntimeException e) {
            blackHole.close();
            smtpValid.close();
            smtpExpired.close();
            throw e;
        }
    }

    private String server(int port, LabCertificates.Kind kind, String protocols, String ciphers) {
        Path cert = dir.resolve(kind.name().toLowerCase() + "-chain.pem");
        Path key = dir.resolve(kind.name().toLowerCase() + "-key.pem");
        certificates.writePem(kind, cert, key);
        return "  server { listen 127.0.0.1:" + port + " ssl; ssl_certificate " + cert + "; ssl_certificate_key " + key
                + "; ssl_protocols " + protocols + ";" + (ciphers == null ? "" : " ssl_ciphers " + ciphers + ";")
                + " location / { return 200 \"ok\\n\"; } }\n";
    }

    /** The valid certificate with ssl_stapling_file: nginx staples that response as is, no responder needed. */
    private String stapling(int port, String name, byte[] response) {
        Path file = dir.resolve("ocsp-" + name + ".der");
        try {
            Files.write(file, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String server = server(port, LabCertificates.Kind.VALID, "TLSv1.2 TLSv1.3", null);
        return server.replace(" location / {", " ssl_stapling on; ssl_stapling_file " + file + "; location / {");
    }

    /** Null when this machine can run the lab, else which Debian package is missing. */
    public static String unavailable() {
        return LabNginx.binary().isPresent() ? null : ExternalBinary.missing(LabNginx.PACKAGE, "nginx");
    }

    public static TlsLab start() {
        return new TlsLab();
    }

    public static synchronized TlsLab shared() {
        if (shared == null || shared.closed.get()) {
            TlsLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-tls-lab-shutdown"));
            shared = lab;
        }
        return shared;
    }

    public String target(LabCertificates.Kind kind) {
        return "tls://127.0.0.1:" + ports.get(kind);
    }

    /** TLS 1.0 and 1.1 enabled beside TLS 1.2 (and negotiable: security level 0). */
    public String legacyAlongside() {
        return "tls://127.0.0.1:" + legacyAlongside;
    }

    /** TLS 1.0 and 1.1 only: a JDK client cannot connect at all. */
    public String legacyOnly() {
        return "tls://127.0.0.1:" + legacyOnly;
    }

    /** TLSv1 and TLSv1.1 in ssl_protocols, but OpenSSL 3's default security level refuses them. */
    public String legacyListedOnly() {
        return "tls://127.0.0.1:" + legacyListed;
    }

    /** The valid certificate, stapling a good OCSP response that is fresh for a week. */
    public String stapledGood() {
        return "tls://127.0.0.1:" + stapledGood;
    }

    /** The valid certificate, stapling a fresh OCSP response that says it was revoked (keyCompromise) yesterday. */
    public String stapledRevoked() {
        return "tls://127.0.0.1:" + stapledRevoked;
    }

    /** The valid certificate, stapling a good OCSP response whose nextUpdate was yesterday. */
    public String stapledStale() {
        return "tls://127.0.0.1:" + stapledStale;
    }

    /** A plain HTTP port: no TLS at all. */
    public String plainPort() {
        return "tls://127.0.0.1:" + plain;
    }

    /** SMTP with STARTTLS and the valid certificate. */
    public String smtpStartTls() {
        return "tls://127.0.0.1:" + smtpValid.port() + "?starttls=smtp";
    }

    /** SMTP with STARTTLS and the expired certificate. */
    public String smtpStartTlsExpired() {
        return "tls://127.0.0.1:" + smtpExpired.port() + "?starttls=smtp";
    }

    /** STARTTLS asked of a port that speaks HTTP, not SMTP. */
    public String starttlsOnPlainHttp() {
        return "tls://127.0.0.1:" + plain + "?starttls=smtp";
    }

    public String blackHole() {
        return "tls://127.0.0.1:" + blackHole.port();
    }

    public static String refused() {
        return "tls://127.0.0.1:" + Ports.closedPort();
    }

    public String caFile() {
        return certificates.caFile().toString();
    }

    @Override
    public void heal() {
        blackHole.closeAcceptedConnections();
    }

    @Override
    public String where() {
        return "nginx (pid " + nginx.pid() + ") TLS ports " + ports.values() + ", TLS 1.0/1.1 on " + legacyAlongside + " and "
                + legacyOnly + ", listed-but-refused on " + legacyListed;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        nginx.close();
        blackHole.close();
        smtpValid.close();
        smtpExpired.close();
        LabFiles.deleteRecursively(dir);
    }
}
