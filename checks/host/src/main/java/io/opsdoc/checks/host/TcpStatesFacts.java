package io.opsdoc.checks.host;

/**
 * What linux-tcp-states read: {@code /proc/net/tcp} and {@code /proc/net/tcp6} as they are ({@code tcp6} empty when
 * the host has no IPv6), and {@code /proc/sys/net/ipv4/ip_local_port_range} (e.g. {@code 32768	60999}).
 */
public record TcpStatesFacts(String tcp, String tcp6, String localPortRange) {
}
