package io.opsdoc.checks.host;

/**
 * What linux-ip-forward read: {@code /proc/sys/net/ipv4/ip_forward} and
 * {@code /proc/sys/net/ipv6/conf/all/forwarding} (null when the host has no IPv6).
 */
public record IpForwardFacts(String ipv4, String ipv6) {
}
