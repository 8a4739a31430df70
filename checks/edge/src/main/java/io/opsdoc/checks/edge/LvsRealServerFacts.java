package io.opsdoc.checks.edge;

import java.util.List;
import java.util.Map;

/**
 * A real server's addresses ({@code ip -o addr show}) and its ARP sysctls: {@code arpIgnore} and {@code arpAnnounce}
 * map "all" and each interface with an IPv4 address to the value of
 * {@code /proc/sys/net/ipv4/conf/<name>/arp_ignore} / {@code arp_announce} (the kernel uses the larger of "all" and the
 * interface's own).
 */
public record LvsRealServerFacts(String host, List<HostAddress> addresses, Map<String, Integer> arpIgnore,
        Map<String, Integer> arpAnnounce) {
}
