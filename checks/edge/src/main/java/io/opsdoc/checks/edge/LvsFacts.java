package io.opsdoc.checks.edge;

/** The director's {@code /proc/net/ip_vs}, as read from {@code host}, unparsed (the evaluation parses it). */
public record LvsFacts(String host, String ipVs) {
}
