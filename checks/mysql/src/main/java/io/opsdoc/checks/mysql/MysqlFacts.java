package io.opsdoc.checks.mysql;

import java.util.List;
import java.util.Map;

/**
 * What the server-level MySQL checks read, unchanged: global variables and status counters as {@code SHOW GLOBAL
 * VARIABLES} / {@code SHOW GLOBAL STATUS} print them (name to value), a second status sample after the window when
 * the check samples one, and the replica status rows when the check needs to know whether the server is a replica.
 *
 * @param serverVersion    {@code SELECT VERSION()}
 * @param variables        the global variables the check asked for; names this server does not have are absent
 * @param status           the global status counters the check asked for (first sample)
 * @param statusAfter      the same counters after the window; null when the check samples once
 * @param windowMillis     the window actually measured between the two samples; null when sampled once
 * @param replicaStatement the statement that produced {@code replicaChannels}; null when not read
 * @param replicaChannels  its rows (empty on a server that is not a replica)
 * @param peers            mysql-galera only: the wsrep status of the other cluster members listed in its {@code peers}
 *                         parameter, one map per peer with {@code endpoint} and either the status variables or
 *                         {@code error_code}/{@code error} when the peer could not be read; empty otherwise
 */
public record MysqlFacts(String serverVersion, Map<String, String> variables, Map<String, String> status,
        Map<String, String> statusAfter, Long windowMillis, String replicaStatement,
        List<Map<String, String>> replicaChannels, List<Map<String, String>> peers) {

    public MysqlFacts(String serverVersion, Map<String, String> variables, Map<String, String> status,
            Map<String, String> statusAfter, Long windowMillis, String replicaStatement,
            List<Map<String, String>> replicaChannels) {
        this(serverVersion, variables, status, statusAfter, windowMillis, replicaStatement, replicaChannels, List.of());
    }

    MysqlFacts withPeers(List<Map<String, String>> read) {
        return new MysqlFacts(serverVersion, variables, status, statusAfter, windowMillis, replicaStatement,
                replicaChannels, List.copyOf(read));
    }

    /** The value of the first of {@code names} this server has (dialects name the same setting differently). */
    String variable(String... names) {
        String name = variableName(names);
        return name == null ? null : variables.get(name);
    }

    /** Which of {@code names} this server has, or null. */
    String variableName(String... names) {
        for (String n : names) {
            if (variables.containsKey(n)) {
                return n;
            }
        }
        return null;
    }

    /** A counter of the first sample as a number, or null when absent or not numeric. */
    Long counter(String name) {
        return number(status.get(name));
    }

    /** How much a counter grew over the window; null without a window or when absent; never negative (FLUSH STATUS). */
    Long delta(String name) {
        if (statusAfter == null) {
            return null;
        }
        Long before = number(status.get(name));
        Long after = number(statusAfter.get(name));
        return before == null || after == null ? null : Math.max(0, after - before);
    }

    double windowSeconds() {
        return windowMillis == null ? 0 : windowMillis / 1000.0;
    }

    /** A counter's growth per second of the window, one decimal; 0 without a window. */
    double perSecond(long delta) {
        return windowMillis == null || windowMillis <= 0 ? 0 : round(delta * 1000.0 / windowMillis);
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** True when the replica status statement returned a row: this server replicates from a source. */
    boolean replicating() {
        return replicaChannels != null && !replicaChannels.isEmpty();
    }

    static Long number(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** ON/1/YES/TRUE as MySQL prints booleans in SHOW GLOBAL VARIABLES / STATUS. */
    static boolean on(String value) {
        return value != null && (value.equalsIgnoreCase("ON") || value.equals("1") || value.equalsIgnoreCase("YES")
                || value.equalsIgnoreCase("TRUE"));
    }
}
