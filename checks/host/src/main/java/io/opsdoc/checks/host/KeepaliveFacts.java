package io.opsdoc.checks.host;

/** What tcp-keepalive-config read: net.ipv4.tcp_keepalive_time, _intvl (seconds) and _probes. */
public record KeepaliveFacts(long time, long intvl, long probes) {
}
