package io.opsdoc.core;

import java.time.Instant;
import java.util.List;

/**
 * The one expiry judgement every certificate check shares (a served certificate in http-status and tls-endpoint,
 * certificate files in k8s-certs): days left, and whether that is expired, not yet valid, within {@code cert-critical}
 * or within {@code cert-warning}. Each check words its own findings and passes its own codes; the thresholds, their
 * names and defaults and the arithmetic are here so they cannot drift apart.
 */
public final class CertificateExpiry {
    /** {@code cert-warning} and {@code cert-critical}, named and defaulted alike in every check that judges expiry. */
    public static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("cert-warning", ParameterType.DURATION, "30d", "certificate validity left that warns"),
            new ParameterSpec("cert-critical", ParameterType.DURATION, "7d", "certificate validity left that is critical"));

    public enum State { VALID, EXPIRING_WARNING, EXPIRING_CRITICAL, EXPIRED, NOT_YET_VALID }

    /**
     * @param daysLeft validity left in days, rounded down to hundredths (negative once expired)
     * @param threshold the parameter that decided ({@code cert-warning} or {@code cert-critical}), else null
     */
    public record Verdict(State state, double daysLeft, String threshold) {
    }

    private CertificateExpiry() {
    }

    public static Verdict judge(Instant notBefore, Instant notAfter, Instant observedAt, Parameters p) {
        long leftMs = notAfter.toEpochMilli() - observedAt.toEpochMilli();
        double days = Math.floor(leftMs / 86_400_000.0 * 100) / 100;
        if (leftMs < 0) {
            return new Verdict(State.EXPIRED, days, null);
        }
        if (notBefore != null && observedAt.isBefore(notBefore)) {
            return new Verdict(State.NOT_YET_VALID, days, null);
        }
        if (leftMs <= p.duration("cert-critical").toMillis()) {
            return new Verdict(State.EXPIRING_CRITICAL, days, "cert-critical");
        }
        if (leftMs <= p.duration("cert-warning").toMillis()) {
            return new Verdict(State.EXPIRING_WARNING, days, "cert-warning");
        }
        return new Verdict(State.VALID, days, null);
    }
}
