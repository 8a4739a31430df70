package io.opsdoc.core;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** What a failed GET of a status or metrics page means, in probe-error codes: one wording for every HTTP-reading check. */
public final class HttpGetFailures {
    private HttpGetFailures() {
    }

    /** @param where {@code host:port} as messages name it; {@code remaining} the budget the GET had */
    public static ProbeException translate(Throwable t, URI url, String where, Duration remaining) {
        if (t instanceof HttpConnectTimeoutException) {
            return new ProbeException(ProbeErrors.TIMEOUT, "no TCP connection to " + where + " within " + Runner.human(remaining), t);
        }
        if (t instanceof HttpTimeoutException) {
            return new ProbeException(ProbeErrors.TIMEOUT, "GET " + url + ": no response within " + Runner.human(remaining), t);
        }
        FailureClassifier.Failure network = FailureClassifier.network(t, where, url.getHost());
        if (network != null) {
            return new ProbeException(network.code(), network.reason(), t);
        }
        if (t instanceof IOException) {
            return new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET " + url + ": " + where + " answered, but not with HTTP ("
                    + FailureClassifier.oneLine(t) + ")", t);
        }
        return new ProbeException(ProbeErrors.PROBE_FAILED, "GET " + url + " failed: " + FailureClassifier.oneLine(t), t);
    }
}
