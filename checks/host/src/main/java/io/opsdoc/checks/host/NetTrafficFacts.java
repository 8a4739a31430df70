package io.opsdoc.checks.host;

/** What linux-net-traffic read: {@code /proc/net/dev} as it is, at the start and the end of the window. */
public record NetTrafficFacts(String devBefore, String devAfter, double windowSeconds) {
}
