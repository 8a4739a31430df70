package io.opsdoc.checks.host;

/**
 * What linux-tcp-queues read: the {@code TcpExt:} header and value lines of {@code /proc/net/netstat} at the start
 * and the end of the window, the LISTEN rows' accept-queue lengths in {@code /proc/net/tcp{,6}} (at the end), and
 * {@code ss -ltn} for the backlog of each listener (null when it could not be run: then the backlog is unknown).
 */
public record TcpQueuesFacts(String netstatBefore, String netstatAfter, double windowSeconds, String tcp, String tcp6,
        String ssListening) {
}
