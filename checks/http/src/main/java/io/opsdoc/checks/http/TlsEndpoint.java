package io.opsdoc.checks.http;

import static io.opsdoc.checks.http.TlsCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.InputFiles;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.security.cert.X509Certificate;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Is the TLS service on host:port safe to connect to: a certificate that is valid, trusted and for this name, and no
 * TLS 1.0/1.1 left enabled? For any TLS port (LDAPS, IMAPS, Redis or Kafka with TLS, an HTTPS port that is not worth
 * an HTTP request). The certificate is judged exactly as {@code http-status} judges it ({@link CertificateFindings},
 * {@link TlsInspector}); the old-protocol question is asked with a bare ClientHello ({@link LegacyHello}).
 */
public final class TlsEndpoint extends DescribedCheck<TlsEndpointFacts> {
    public static final String ID = "tls-endpoint";
    static final String NOTE = "web/tls";
    private static final CertificateFindings.Codes CERTIFICATE_CODES = new CertificateFindings.Codes(CERT_EXPIRING,
            CERT_EXPIRED, CERT_UNTRUSTED, HOSTNAME_MISMATCH);

    private static final List<ParameterSpec> PARAMETERS = Stream.of(CertificateFindings.PARAMETERS, List.of(
            new ParameterSpec("check-old-protocols", ParameterType.BOOLEAN, "true",
                    "also ask for TLS 1.0 and TLS 1.1 (two more connections, a ClientHello each, no data sent)"),
            new ParameterSpec("require-ocsp-staple", ParameterType.BOOLEAN, "false",
                    "warn when the server staples no OCSP response (certificates with must-staple, or a policy); a "
                            + "stapled response is judged (revoked, stale) either way"),
            new ParameterSpec("ocsp-stale-warning", ParameterType.DURATION, "0s",
                    "warn this long before the stapled response's nextUpdate (0s: only once it has passed)")))
            .flatMap(List::stream).toList();

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("any TLS server", List.of(),
            "no credentials and no privileges: TLS handshakes only (one complete, up to two stopped after the "
                    + "server's first answer); no application data is sent"));

    public TlsEndpoint() {
        super(ID, "tls", "Is the TLS port's certificate valid, trusted and for its name, and are TLS 1.0/1.1 off?",
                TlsEndpointFacts.class, PARAMETERS, TlsCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        if (target.hosts().size() != 1 || target.host().port() <= 0) {
            throw new UsageException("check " + ID + " needs one host and its port, e.g. tls://ldap.example:636, not "
                    + target.display());
        }
        if (target.user().isPresent() || target.passwordInUri()) {
            throw new UsageException("check " + ID + " sends no credentials: remove the user from " + target.display());
        }
        for (String key : target.query().keySet()) {
            if (!key.equals("starttls")) {
                throw new UsageException("check " + ID + " takes only ?starttls=smtp in its target, not '" + key + "'");
            }
        }
        String starttls = target.query().get("starttls");
        if (starttls != null && !Starttls.PROTOCOLS.contains(starttls.toLowerCase(java.util.Locale.ROOT))) {
            throw new UsageException("check " + ID + ": starttls=" + starttls + " is not supported (only "
                    + String.join(", ", Starttls.PROTOCOLS) + "); probe the service's implicit-TLS port instead");
        }
    }

    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        String ca = p.string("ca-file");
        if (!ca.isBlank()) {
            InputFiles.requireReadable("ca-file", ca);
        }
    }

    @Override
    public TlsEndpointFacts collect(CheckContext context) throws Exception {
        String host = context.target().host().host();
        int port = context.target().host().port();
        String where = host + ":" + port;
        String caFile = context.parameters().string("ca-file").isBlank() ? null : context.parameters().string("ca-file");
        Instant observedAt = Instant.now();
        String protocol = null;
        String cipher = null;
        HttpFacts.Tls cert = null;
        String handshakeError = null;
        OcspStaple staple = null;
        String stapleError = null;
        try (Socket raw = connect(context, host, port, where);
                SSLSocket tls = (SSLSocket) TlsInspector.inspectingContext().getSocketFactory()
                        .createSocket(raw, host, port, true)) {
            if (!HostnameMatch.isIpLiteral(host)) {
                SSLParameters sp = tls.getSSLParameters();
                sp.setServerNames(List.of(new SNIHostName(host)));
                tls.setSSLParameters(sp);
            }
            tls.startHandshake();
            protocol = tls.getSession().getProtocol();
            cipher = tls.getSession().getCipherSuite();
            cert = TlsInspector.inspect(tls.getSession(), host, caFile);
            // the JDK client asks for a staple (status_request) unless jdk.tls.client.enableStatusRequestExtension=false
            List<byte[]> staples = ((ExtendedSSLSession) tls.getSession()).getStatusResponses();
            if (!staples.isEmpty() && staples.get(0).length > 0
                    && tls.getSession().getPeerCertificates()[0] instanceof X509Certificate leaf) {
                try {
                    staple = OcspStaple.parse(staples.get(0), leaf.getSerialNumber());
                } catch (IllegalArgumentException | IndexOutOfBoundsException | java.time.DateTimeException e) {
                    stapleError = "the stapled OCSP response does not parse: " + e.getMessage();
                }
            }
        } catch (SSLException e) {
            FailureClassifier.Failure network = FailureClassifier.network(e, where, host);
            if (network != null) {
                throw new ProbeException(network.code(), network.reason(), e);
            }
            // e.g. "No appropriate protocol": the server offers only what this JVM refuses; the old-protocol probe
            // below tells whether that is TLS 1.0/1.1
            handshakeError = FailureClassifier.oneLine(e);
        } catch (IOException e) {
            throw translate(e, where, host, context.remaining());
        }
        List<TlsEndpointFacts.Legacy> legacy = new ArrayList<>();
        if (context.parameters().bool("check-old-protocols")) {
            for (String old : List.of("TLSv1", "TLSv1.1")) {
                try (Socket s = connect(context, host, port, where)) {
                    legacy.add(LegacyHello.ask(old, HostnameMatch.isIpLiteral(host) ? null : host, s.getInputStream(),
                            s.getOutputStream()));
                } catch (SocketTimeoutException e) {
                    throw new ProbeException(ProbeErrors.TIMEOUT, where + " did not answer a " + old
                            + " ClientHello within " + Runner.human(context.remaining()), e);
                } catch (IOException e) {
                    if (FailureClassifier.reset(e)) {
                        // a hang-up on an old hello is a refusal (some stacks close instead of sending an alert)
                        legacy.add(new TlsEndpointFacts.Legacy(old, false, null, "connection reset"));
                    } else if (e.getMessage() != null && e.getMessage().startsWith("not a TLS")) {
                        throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " does not speak TLS: " + e.getMessage(), e);
                    } else {
                        throw translate(e, where, host, context.remaining());
                    }
                }
            }
        }
        if (cert == null && legacy.stream().noneMatch(TlsEndpointFacts.Legacy::accepted)) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "TLS handshake with " + where + " failed: " + handshakeError);
        }
        return new TlsEndpointFacts(observedAt, host, port, protocol, cipher, cert, handshakeError, legacy, staple,
                stapleError);
    }

    /** A TCP connection with the deadline on connect and reads; through the STARTTLS preamble when the target asks. */
    private static Socket connect(CheckContext context, String host, int port, String where) throws ProbeException, IOException {
        Duration left = context.remaining();
        if (left.toMillis() <= 0) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "no time left for a connection to " + where);
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, left.toMillis()));
        } catch (SocketTimeoutException e) {
            s.close();
            throw new ProbeException(ProbeErrors.TIMEOUT, "no TCP connection to " + where + " within " + Runner.human(left)
                    + " (packets dropped: a firewall, or the host is down)", e);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        try {
            s.setSoTimeout((int) Math.max(1, context.remaining().toMillis()));
            if (context.target().query().containsKey("starttls")) {
                Starttls.smtp(s, where);
            }
            return s;
        } catch (SocketTimeoutException e) {
            s.close();
            throw new ProbeException(ProbeErrors.TIMEOUT, where + " accepted the connection but sent no SMTP greeting or "
                    + "reply within " + Runner.human(left), e);
        } catch (IOException | ProbeException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static ProbeException translate(IOException e, String where, String host, Duration remaining) {
        FailureClassifier.Failure network = FailureClassifier.network(e, where, host);
        if (network != null) {
            return new ProbeException(network.code(), network.reason(), e);
        }
        return new ProbeException(ProbeErrors.PROBE_FAILED, "TLS probe of " + where + " failed: "
                + FailureClassifier.oneLine(e), e);
    }

    @Override
    public void evaluate(TlsEndpointFacts facts, Parameters p, Evaluation.Builder out) {
        if (facts.certificate() != null) {
            CertificateFindings.judge(List.of(facts.certificate()), facts.observedAt(), p, out, CERTIFICATE_CODES);
        }
        if (facts.certificate() != null) {
            OcspFindings.judge(facts, p, out);
        }
        List<TlsEndpointFacts.Legacy> accepted = facts.legacy().stream().filter(TlsEndpointFacts.Legacy::accepted).toList();
        out.metric(Metric.of("tls_old_protocols_accepted", accepted.size(), ""));
        if (accepted.isEmpty()) {
            return;
        }
        String names = accepted.stream().map(TlsEndpointFacts.Legacy::protocol).collect(Collectors.joining(" and "));
        Evidence e = Evidence.of("accepted", accepted.stream().map(l -> l.protocol() + " (" + l.cipher() + ")")
                .collect(Collectors.joining(", ")), "modern_protocol", facts.protocol() == null ? "(none)" : facts.protocol());
        facts.legacy().stream().filter(l -> !l.accepted()).forEach(l -> e.put(l.protocol(), l.answer()));
        if (facts.certificate() == null) {
            e.put("modern_handshake_error", facts.handshakeError());
            out.finding(OLD_PROTOCOL, Severity.CRITICAL, facts.host() + ":" + facts.port() + " speaks only " + names
                    + ": a TLS 1.2/1.3 handshake failed (" + facts.handshakeError() + "), so current clients, which "
                    + "refuse TLS 1.0/1.1, cannot connect at all", e);
        } else {
            out.finding(OLD_PROTOCOL, Severity.WARNING, facts.host() + ":" + facts.port() + " still accepts " + names
                    + " (besides " + facts.protocol() + "): deprecated by RFC 8996 and refused by current browsers and "
                    + "JDKs; remove them from the server's protocol list (nginx ssl_protocols, haproxy ssl-min-ver)", e);
        }
    }
}
