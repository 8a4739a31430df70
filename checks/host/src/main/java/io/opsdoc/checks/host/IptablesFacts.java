package io.opsdoc.checks.host;

/**
 * What iptables-rules read, as printed: {@code iptables-save -c} and {@code ip6tables-save -c} at the start and the
 * end of the window, and once each {@code iptables-legacy-save -c} and {@code iptables-nft-save -c}. A null dump: that
 * tool is not installed.
 */
public record IptablesFacts(String ipv4Before, String ipv4After, String ipv6Before, String ipv6After, String legacy,
        String nft, double windowSeconds) {
}
