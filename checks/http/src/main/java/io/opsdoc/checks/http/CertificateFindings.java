package io.opsdoc.checks.http;

import io.opsdoc.core.CertificateExpiry;
import io.opsdoc.core.CheckCode;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The one judgement of a server certificate that {@code http-status} and {@code tls-endpoint} share: days left
 * against {@code cert-warning}/{@code cert-critical}, expired or not yet valid, trusted chain, host name in the
 * subjectAltName. Each check passes its own codes (each check's codes belong to its own note), the words and
 * evidence are the same. Pure: certificates read by {@link TlsInspector}, parameters, findings out.
 */
final class CertificateFindings {
    /** Both checks' parameters for the judgement, so the two stay named and defaulted alike. */
    static final List<io.opsdoc.core.ParameterSpec> PARAMETERS = Stream.concat(CertificateExpiry.PARAMETERS.stream(),
            Stream.of(new io.opsdoc.core.ParameterSpec("ca-file", io.opsdoc.core.ParameterType.STRING, "",
                    "PEM file of CA certificates to trust in addition to the JVM's trust store (a private CA)"))).toList();

    /** The calling check's code for each of the four certificate problems. */
    record Codes(CheckCode expiring, CheckCode expired, CheckCode untrusted, CheckCode mismatch) {
    }

    private CertificateFindings() {
    }

    /**
     * @param certs one per host name asked for; with more than one, each finding names its host as its subject
     */
    static void judge(List<HttpFacts.Tls> certs, Instant observedAt, Parameters p, Evaluation.Builder out, Codes codes) {
        Double minDays = null;
        long warn = p.duration("cert-warning").toMillis();
        long crit = p.duration("cert-critical").toMillis();
        for (HttpFacts.Tls t : certs) {
            CertificateExpiry.Verdict v = CertificateExpiry.judge(t.notBefore(), t.notAfter(), observedAt, p);
            double days = v.daysLeft();
            minDays = minDays == null ? days : Math.min(minDays, days);
            String subject = certs.size() > 1 ? t.host() : null;
            Evidence base = Evidence.of("host", t.host(), "subject", t.subject(), "issuer", t.issuer(),
                    "not_before", t.notBefore().toString(), "not_after", t.notAfter().toString(), "days_left", days,
                    "sha256", t.sha256());
            if (v.state() == CertificateExpiry.State.EXPIRED) {
                out.finding(codes.expired(), Severity.CRITICAL, "the certificate of " + t.host() + " expired on "
                        + t.notAfter() + " (" + String.format(Locale.ROOT, "%.1f", -days) + " days ago); every client "
                        + "that verifies certificates refuses the connection", base, subject);
            } else if (v.state() == CertificateExpiry.State.NOT_YET_VALID) {
                out.finding(codes.expired(), Severity.CRITICAL, "the certificate of " + t.host() + " is not valid before "
                        + t.notBefore() + " (a clock on the issuing or serving side is wrong)", base, subject);
            } else if (v.state() != CertificateExpiry.State.VALID) {
                boolean critical = v.state() == CertificateExpiry.State.EXPIRING_CRITICAL;
                out.finding(codes.expiring(), critical ? Severity.CRITICAL : Severity.WARNING, "the certificate of "
                        + t.host() + " expires on " + t.notAfter() + ", in " + String.format(Locale.ROOT, "%.1f", days)
                        + " days (" + (critical ? "cert-critical " + p.raw().get("cert-critical")
                                : "cert-warning " + p.raw().get("cert-warning"))
                        + "); renewal has not happened or the renewed certificate was not deployed",
                        base.put(critical ? "cert-critical" : "cert-warning",
                                p.raw().get(critical ? "cert-critical" : "cert-warning")),
                        subject);
            }
            if (!t.trusted()) {
                out.finding(codes.untrusted(), Severity.CRITICAL, "the certificate chain of " + t.host()
                        + " is not trusted: " + t.trustProblem() + "; browsers and verifying clients refuse it",
                        Evidence.of("host", t.host(), "subject", t.subject(), "issuer", t.issuer(), "self_signed",
                                t.selfSigned(), "chain_length", t.chainLength(), "problem", t.trustProblem(),
                                "ca-file", p.raw().get("ca-file").isEmpty() ? "(none: JVM trust store only)"
                                        : p.raw().get("ca-file")),
                        subject);
            }
            if (!HostnameMatch.matches(t.host(), t.dnsNames(), t.ipAddresses())) {
                String names = String.join(", ", Stream.concat(t.dnsNames().stream(), t.ipAddresses().stream()).toList());
                out.finding(codes.mismatch(), Severity.CRITICAL, "the certificate served for " + t.host()
                        + " does not name it: its subjectAltName lists " + (names.isEmpty() ? "nothing" : names)
                        + " (the subject CN " + t.subject() + " does not count)",
                        Evidence.of("host", t.host(), "dns_names", String.join(", ", t.dnsNames()), "ip_addresses",
                                String.join(", ", t.ipAddresses()), "subject", t.subject()), subject);
            }
        }
        if (minDays != null) {
            out.metric(new Metric("tls_cert_expiry_days", minDays, "d", Map.of(), warn / 86_400_000.0,
                    crit / 86_400_000.0));
        }
    }
}
