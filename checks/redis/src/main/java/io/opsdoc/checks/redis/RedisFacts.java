package io.opsdoc.checks.redis;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What the Redis checks read from a server, unchanged. Every check fills only the parts it needs (the rest stay
 * null), so one type serves the whole family and a capture shows exactly what was asked.
 *
 * @param info         {@code INFO all} at the start, as field to value (section headers dropped)
 * @param infoAfter    {@code INFO all} again after {@code windowMillis}, for rates; null when not sampled twice
 * @param windowMillis time between the two samples, as measured by the probe
 * @param pingMicros   round-trip times of the timed PINGs, in microseconds, in the order sent
 * @param config       {@code CONFIG GET} values by name; a name the server does not know is absent
 * @param slowlogBefore highest SLOWLOG id at the start (-1 when empty)
 * @param slowlog      {@code SLOWLOG GET} at the end, newest first
 * @param latency      {@code LATENCY LATEST}
 * @param clients      notable entries of {@code CLIENT LIST} (big output buffers, blocked), the probe's own excluded
 * @param clientsTotal entries in {@code CLIENT LIST}
 * @param defaultUser  {@code ACL GETUSER default}: flags and command rules (password hashes are not kept)
 * @param categories   {@code ACL CAT <category>} for each category the default user's rules name
 * @param commands     for each command judged dangerous: does the server have it ({@code COMMAND INFO} not nil)
 * @param anonymous    what a connection without AUTH gets for PING: {@code PONG}, or the error's first word
 * @param reach        on a cluster node: every node of CLUSTER NODES as reached from the probe host (client and bus port)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RedisFacts(Map<String, String> info, Map<String, String> infoAfter, Long windowMillis,
        List<Long> pingMicros, Map<String, String> config, Long slowlogBefore, List<SlowlogEntry> slowlog,
        List<LatencyEvent> latency, List<ClientEntry> clients, Integer clientsTotal, DefaultUser defaultUser,
        Map<String, List<String>> categories, Map<String, Boolean> commands, String anonymous, List<NodeReach> reach) {

    /** One SLOWLOG entry: {@code args} holds the command name and at most its first argument, cut to 64 characters. */
    public record SlowlogEntry(long id, long timestamp, long micros, List<String> args, String client) {
    }

    /** One LATENCY LATEST row: event name, unix time of the latest spike, its duration and the all-time max (ms). */
    public record LatencyEvent(String event, long timestamp, long latestMillis, long maxMillis) {
    }

    /** The CLIENT LIST fields the checks judge. */
    public record ClientEntry(String id, String addr, String name, String user, String flags, String cmd, long age,
            long idle, long qbuf, long omem, long totMem) {
    }

    public record DefaultUser(List<String> flags, String commands) {
    }

    /**
     * One cluster node, TCP-connected from the probe host: {@code ok}, {@code refused}, {@code timeout} or another
     * error, for its client port and for its cluster bus port.
     *
     * @param node {@code ip:port@busport} as CLUSTER NODES gives it
     */
    public record NodeReach(String node, String client, String bus) {
    }
}
