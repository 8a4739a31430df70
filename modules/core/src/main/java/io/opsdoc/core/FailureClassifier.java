package io.opsdoc.core;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Turns an exception escaping {@link Check#collect} into one precise UNKNOWN reason. Checks that know their
 * protocol throw {@link ProbeException}; the network failures every client library surfaces the same way
 * (DNS, refused, timeout) are recognised here so each check need not repeat them.
 */
public final class FailureClassifier {

    public record Failure(FindingCode code, String reason) {
    }

    private FailureClassifier() {
    }

    public static Failure classify(Throwable thrown, Target target) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ProbeException p) {
                return new Failure(p.code(), p.getMessage());
            }
        }
        String where = target.hosts().isEmpty() ? target.display() : target.host().toString();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return new Failure(ProbeErrors.UNREACHABLE,
                        "cannot resolve host '" + (target.hosts().isEmpty() ? where : target.host().host()) + "' (DNS)");
            }
            if (t instanceof NoRouteToHostException) {
                return new Failure(ProbeErrors.UNREACHABLE, "no route to " + where);
            }
            if (t instanceof ConnectException) {
                return new Failure(ProbeErrors.UNREACHABLE, "connection refused by " + where + " (is the service running on that port?)");
            }
            if (t instanceof SocketTimeoutException) {
                return new Failure(ProbeErrors.TIMEOUT, "no answer from " + where + " before the deadline (" + oneLine(t) + ")");
            }
        }
        return new Failure(ProbeErrors.PROBE_FAILED, thrown.getClass().getSimpleName() + ": " + oneLine(thrown));
    }

    /** First line of the message: client libraries append multi-line hints and stack-like detail. */
    public static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).trim();
    }
}
