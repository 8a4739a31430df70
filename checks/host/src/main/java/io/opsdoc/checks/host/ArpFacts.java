package io.opsdoc.checks.host;

/**
 * What linux-arp read: {@code /proc/net/arp} as the kernel prints it, and the neighbour table's thresholds from
 * {@code /proc/sys/net/ipv4/neigh/default/gc_thresh2} and {@code gc_thresh3}.
 */
public record ArpFacts(String arp, long gcThresh2, long gcThresh3) {
}
