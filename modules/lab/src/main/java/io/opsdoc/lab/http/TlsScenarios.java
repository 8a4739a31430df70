package io.opsdoc.lab.http;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.http.LabCertificates.Kind;
import io.opsdoc.lab.scenario.Expect;
import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * tls-endpoint against real nginx TLS ports: each lab certificate on its own port, and the old protocols left on,
 * alone, or listed but refused by OpenSSL 3. The certificate faults are the ones http-status meets over HTTPS (the
 * same keytool-made certificates, the same judgement), here on a bare TLS port.
 */
public final class TlsScenarios implements ScenarioSet<TlsLab> {
    private static final List<String> CODES = List.of("CERT_EXPIRING", "CERT_EXPIRED", "CERT_UNTRUSTED",
            "HOSTNAME_MISMATCH", "OLD_PROTOCOL", "OCSP_REVOKED", "OCSP_STALE", "OCSP_NOT_STAPLED");

    @Override
    public String system() {
        return "tls";
    }

    @Override
    public String description() {
        return "Debian nginx with 12 TLS ports (keytool-made certificates; TLS 1.0/1.1 on, alone, or refused by "
                + "OpenSSL 3; OCSP staples good, revoked, stale), a plain port, a black hole and two SMTP STARTTLS servers in this JVM (~10 s: keytool "
                + "makes the certificates)";
    }

    @Override
    public List<LabVariant<TlsLab>> variants() {
        return List.of(new LabVariant<>("nginx", TlsLab::unavailable, TlsLab::start, TlsLab::shared));
    }

    @Override
    public List<Scenario<TlsLab>> scenarios() {
        return List.of(
                trusted("tls-healthy", "a CA-signed certificate for 127.0.0.1, TLS 1.2/1.3 only (lab CA as ca-file)",
                        Kind.VALID).healthy().metrics("tls_cert_expiry_days", "tls_old_protocols_accepted").build(),
                trusted("tls-old-protocols-refused-by-openssl", "ssl_protocols still lists TLSv1 TLSv1.1, but OpenSSL "
                        + "3's default security level refuses them: nothing old is negotiable",
                        lab -> lab.legacyListedOnly()).healthy().build(),
                only(trusted("tls-cert-expiring", "the certificate has 3 days left (cert-critical 7d)", Kind.EXPIRING_SOON),
                        code("CERT_EXPIRING").severity(CRITICAL)),
                only(trusted("tls-cert-expiring-warning", "the certificate has 20 days left (cert-warning 30d)",
                        Kind.EXPIRING), code("CERT_EXPIRING").severity(WARNING)),
                only(trusted("tls-cert-expired", "the certificate expired 9 days ago", Kind.EXPIRED),
                        code("CERT_EXPIRED").severity(CRITICAL).says("expired on")),
                only(tls("tls-self-signed", "a self-signed certificate", lab -> lab.target(Kind.SELF_SIGNED)),
                        code("CERT_UNTRUSTED").severity(CRITICAL).evidence("self_signed", true)),
                only(tls("tls-private-ca-not-trusted", "a certificate from a private CA, without ca-file",
                        lab -> lab.target(Kind.VALID)), code("CERT_UNTRUSTED").evidence("self_signed", false)
                                .evidence("chain_length", 2).says("CN=opsdoc lab CA")),
                only(trusted("tls-wrong-host", "a valid certificate for wrong.example, served for 127.0.0.1",
                        Kind.WRONG_HOST), code("HOSTNAME_MISMATCH").severity(CRITICAL).evidence("dns_names", "wrong.example")),
                only(trusted("tls-old-protocols-on", "TLS 1.0 and 1.1 left on beside TLS 1.2 (ssl_protocols TLSv1 "
                        + "TLSv1.1 TLSv1.2, ssl_ciphers DEFAULT:@SECLEVEL=0)", lab -> lab.legacyAlongside()),
                        code("OLD_PROTOCOL").severity(WARNING).evidence("modern_protocol", "TLSv1.2")
                                .says("TLSv1 and TLSv1.1", "RFC 8996")),
                only(trusted("tls-old-protocols-only", "only TLS 1.0 and 1.1: a current client cannot connect",
                        lab -> lab.legacyOnly()), code("OLD_PROTOCOL").severity(CRITICAL).evidence("modern_protocol", "(none)")
                                .says("speaks only TLSv1 and TLSv1.1")),
                trusted("tls-old-protocols-not-asked", "TLS 1.0/1.1 on, but check-old-protocols=false: only the "
                        + "certificate is judged", lab -> lab.legacyAlongside()).param("check-old-protocols", "false")
                        .healthy().build(),
                trusted("tls-ocsp-stapled-good", "nginx staples a good OCSP response, fresh for a week "
                        + "(ssl_stapling_file); the staple is required", TlsLab::stapledGood)
                        .param("require-ocsp-staple", "true").param("ocsp-stale-warning", "1d").healthy()
                        .metrics("tls_ocsp_stapled", "tls_ocsp_next_update_seconds").build(),
                only(trusted("tls-ocsp-revoked", "nginx staples an OCSP response saying the certificate was revoked "
                        + "(keyCompromise) yesterday", TlsLab::stapledRevoked), code("OCSP_REVOKED").severity(CRITICAL)
                                .evidence("ocsp_status", "revoked").evidence("for_leaf", true).says("revoked on")),
                only(trusted("tls-ocsp-stale", "nginx staples a good OCSP response whose nextUpdate was yesterday: "
                        + "nothing refreshed the file", TlsLab::stapledStale), code("OCSP_STALE").severity(WARNING)
                                .evidence("ocsp_status", "good").says("has passed")),
                only(trusted("tls-ocsp-not-stapled", "require-ocsp-staple on a server without ssl_stapling",
                        Kind.VALID).param("require-ocsp-staple", "true"), code("OCSP_NOT_STAPLED").severity(WARNING)
                                .evidence("stapled", false)),
                trusted("tls-starttls-smtp-healthy", "SMTP: greeting, EHLO, STARTTLS, then TLS 1.3 with a valid "
                        + "certificate", TlsLab::smtpStartTls).healthy().metrics("tls_cert_expiry_days").build(),
                only(trusted("tls-starttls-smtp-cert-expired", "SMTP with STARTTLS presents a certificate that expired "
                        + "9 days ago", TlsLab::smtpStartTlsExpired), code("CERT_EXPIRED").severity(CRITICAL)),
                only(tls("tls-starttls-not-smtp", "?starttls=smtp on an HTTP port, which waits for a request and "
                        + "never greets (--timeout 2s)", TlsLab::starttlsOnPlainHttp).timeout(Duration.ofSeconds(2)),
                        code("TIMEOUT").severity(UNKNOWN).says("no SMTP greeting")),
                only(tls("tls-plaintext-port", "the port speaks plain HTTP, not TLS", TlsLab::plainPort),
                        code("PROTOCOL_ERROR").severity(UNKNOWN)),
                only(tls("tls-black-hole", "a port that accepts and never answers (--timeout 2s)", TlsLab::blackHole)
                        .timeout(Duration.ofSeconds(2)), code("TIMEOUT").severity(UNKNOWN)),
                only(tls("tls-refused", "nothing listens on the port", lab -> TlsLab.refused()),
                        code("UNREACHABLE").severity(UNKNOWN).says("refused")));
    }

    private static Scenario.Builder<TlsLab> tls(String id, String story, Function<TlsLab, String> target) {
        return Scenario.<TlsLab>of(id, story).checks("tls-endpoint").target(target).timeout(Duration.ofSeconds(10));
    }

    private static Scenario.Builder<TlsLab> trusted(String id, String story, Function<TlsLab, String> target) {
        return tls(id, story, target).param("ca-file", TlsLab::caFile);
    }

    private static Scenario.Builder<TlsLab> trusted(String id, String story, Kind kind) {
        return trusted(id, story, lab -> lab.target(kind));
    }

    /** These codes and no other code of tls-endpoint. */
    private static Scenario<TlsLab> only(Scenario.Builder<TlsLab> b, Expect... expected) {
        List<String> codes = Arrays.stream(expected).map(Expect::code).toList();
        Arrays.stream(expected).forEach(b::expect);
        b.absent(CODES.stream().filter(c -> !codes.contains(c)).toArray(String[]::new));
        return b.build();
    }
}
