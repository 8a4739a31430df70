package io.opsdoc.checks.host;

/**
 * What linux-conntrack read: {@code nf_conntrack_count} and {@code nf_conntrack_max} from
 * {@code /proc/sys/net/netfilter} (-1 both when conntrack is not loaded), and {@code /proc/net/stat/nf_conntrack}
 * (a header, then one row of hex counters per CPU) at both ends of the window (null when not loaded).
 */
public record ConntrackFacts(long count, long max, String statBefore, String statAfter, double windowSeconds) {
}
