package io.opsdoc.checks.host;

import java.util.List;

/**
 * What tcp-port saw: one connect per endpoint of the target, from where opsdoc runs.
 *
 * @param timeoutMillis the connect timeout each connect was given
 */
public record TcpPortFacts(List<Connect> connects, long timeoutMillis) {

    /** How a connect ended: OPEN, REFUSED, TIMEOUT (no answer within the timeout) or NO_ROUTE. */
    public enum Outcome { OPEN, REFUSED, TIMEOUT, NO_ROUTE }

    /**
     * One connect to {@code host:port} (the address it resolved to), how it ended, how long it took and the
     * kernel's words for a failure.
     */
    public record Connect(String host, int port, String address, Outcome outcome, double millis, String error) {
        String endpoint() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return h + ":" + port + (address.equals(host) ? "" : " (" + address + ")");
        }
    }
}
