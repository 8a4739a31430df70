package io.opsdoc.checks.http;

import static io.opsdoc.checks.http.TlsCode.OCSP_NOT_STAPLED;
import static io.opsdoc.checks.http.TlsCode.OCSP_REVOKED;
import static io.opsdoc.checks.http.TlsCode.OCSP_STALE;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.time.Duration;

/** tls-endpoint's judgement of the stapled OCSP response: pure, facts in, findings and metrics out. */
final class OcspFindings {
    private OcspFindings() {
    }

    static void judge(TlsEndpointFacts f, Parameters p, Evaluation.Builder out) {
        String where = f.host() + ":" + f.port();
        OcspStaple s = f.staple();
        out.metric(Metric.of("tls_ocsp_stapled", s == null ? 0 : 1, ""));
        if (s == null) {
            if (p.bool("require-ocsp-staple")) {
                out.finding(OCSP_NOT_STAPLED, Severity.WARNING, where + " staples no usable OCSP response"
                        + (f.stapleError() == null ? "" : " (" + f.stapleError() + ")") + ": clients must ask the CA's "
                        + "responder themselves (slower, leaks who visits) or, for a must-staple certificate, refuse "
                        + "the connection; nginx: ssl_stapling on with a resolver, or ssl_stapling_file",
                        Evidence.of("stapled", false, "error", f.stapleError() == null ? "none" : f.stapleError()));
            }
            return;
        }
        Evidence e = Evidence.of("ocsp_status", s.status(), "this_update", String.valueOf(s.thisUpdate()),
                "next_update", s.nextUpdate() == null ? "none" : s.nextUpdate().toString(), "for_leaf", s.forLeaf());
        if (s.revokedAt() != null) {
            e.put("revoked_at", s.revokedAt().toString());
        }
        if (s.nextUpdate() != null) {
            out.metric(Metric.of("tls_ocsp_next_update_seconds",
                    Duration.between(f.observedAt(), s.nextUpdate()).toSeconds(), "s"));
        }
        if (s.status().equals("revoked")) {
            out.finding(OCSP_REVOKED, Severity.CRITICAL, where + " staples an OCSP response saying its certificate "
                    + "was revoked on " + s.revokedAt() + ": clients that check revocation refuse it; install a newly "
                    + "issued certificate (and find out why the CA revoked this one: a key compromise?)", e);
            return;
        }
        if (s.nextUpdate() == null) {
            return;
        }
        Duration left = Duration.between(f.observedAt(), s.nextUpdate());
        Duration warn = p.duration("ocsp-stale-warning");
        if (left.isNegative() || left.isZero()) {
            out.finding(OCSP_STALE, Severity.WARNING, where + " staples an OCSP response whose nextUpdate "
                    + s.nextUpdate() + " has passed: clients discard it (a must-staple certificate then fails); the "
                    + "server no longer refreshes it: nginx cannot reach the responder (resolver, firewall), or "
                    + "ssl_stapling_file is not being renewed", e);
        } else if (left.compareTo(warn) < 0) {
            out.finding(OCSP_STALE, Severity.WARNING, where + " staples an OCSP response that goes stale in "
                    + left.toMinutes() + " min (nextUpdate " + s.nextUpdate() + ", ocsp-stale-warning "
                    + p.raw().get("ocsp-stale-warning") + "): it should have been refreshed by now", e);
        }
    }
}
