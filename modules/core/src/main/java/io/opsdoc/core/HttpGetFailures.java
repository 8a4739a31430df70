package io.opsdoc.core;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * What a failed request to a status page or an HTTP API means, in probe-error codes: one wording for every check that
 * reads HTTP with the JDK client (http-status, nginx/HAProxy, Flume, RabbitMQ, Prometheus).
 */
public final class HttpGetFailures {
    private HttpGetFailures() {
    }

    /** A GET of {@code url}; {@code where} is {@code host:port} as messages name it, {@code remaining} the budget it had. */
    public static ProbeException translate(Throwable t, URI url, String where, Duration remaining) {
        return translate(t, "GET " + url, where, url.getHost(), remaining, "");
    }

    /**
     * @param request   what was asked, as messages name it (e.g. {@code GET /api/nodes on host:port})
     * @param host      the host name a DNS failure names
     * @param tlsAdvice appended to a failed TLS handshake (e.g. how to give a CA), or empty
     */
    public static ProbeException translate(Throwable t, String request, String where, String host, Duration remaining,
            String tlsAdvice) {
        if (t instanceof HttpConnectTimeoutException) {
            return new ProbeException(ProbeErrors.TIMEOUT, "no TCP connection to " + where + " within " + Runner.human(remaining)
                    + " (packets dropped: a firewall, or the host is down)", t);
        }
        if (t instanceof HttpTimeoutException) {
            return new ProbeException(ProbeErrors.TIMEOUT, request + ": no response within " + Runner.human(remaining)
                    + " (the connection was accepted, or never completed, and nothing came back)", t);
        }
        FailureClassifier.Failure network = FailureClassifier.network(t, where, host);
        if (network != null) {
            return new ProbeException(network.code(), network.reason(), t);
        }
        if (t instanceof SSLException) {
            return new ProbeException(ProbeErrors.PROBE_FAILED, "TLS handshake with " + where + " failed: "
                    + FailureClassifier.oneLine(t) + tlsAdvice, t);
        }
        if (t instanceof IOException) {
            // the JDK client says "Invalid status line", "Bad response header" and the like: not HTTP on that port
            return new ProbeException(ProbeErrors.PROTOCOL_ERROR, request + ": " + where + " answered, but not with HTTP ("
                    + FailureClassifier.oneLine(t) + ")", t);
        }
        return new ProbeException(ProbeErrors.PROBE_FAILED, request + " failed: " + FailureClassifier.oneLine(t), t);
    }
}
