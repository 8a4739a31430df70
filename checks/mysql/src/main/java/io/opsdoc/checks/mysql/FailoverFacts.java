package io.opsdoc.checks.mysql;

import java.util.List;
import java.util.Map;

/**
 * What {@code mysql-failover-readiness} reads, unchanged: the source first, then each listed replica.
 *
 * @param source   the target; always read (a source that cannot be read makes the whole check UNKNOWN)
 * @param replicas the {@code replicas} parameter's servers, in the order given
 * @param mha      what the MHA tools said on the manager host; null when {@code mha-conf} is not set
 */
public record FailoverFacts(Server source, List<Server> replicas, MhaFacts mha) {

    public FailoverFacts(Server source, List<Server> replicas) {
        this(source, replicas, null);
    }

    /**
     * One server as read, or why it could not be.
     *
     * @param endpoint        host:port as the operator wrote it
     * @param serverVersion   {@code SELECT VERSION()}
     * @param variables       server_id, server_uuid, log_bin, log_slave_updates / log_replica_updates, gtid_mode,
     *                        gtid_executed (MySQL), gtid_binlog_pos / gtid_slave_pos / gtid_current_pos (MariaDB)
     * @param statusStatement the replica status statement that produced {@code channels}; null on the source
     * @param channels        its rows; empty on a server that replicates from nothing
     * @param binlogStatus    the source's SHOW MASTER STATUS / SHOW BINARY LOG STATUS row, read only for MySQL
     *                        without GTID (the one case that compares binlog positions); empty otherwise
     * @param probeError      the probe-error code when the server could not be read (then the rest is empty)
     * @param probeReason     its one-line reason
     */
    public record Server(String endpoint, String serverVersion, Map<String, String> variables, String statusStatement,
            List<Map<String, String>> channels, Map<String, String> binlogStatus, String probeError,
            String probeReason) {

        static Server unreadable(String endpoint, String code, String reason) {
            return new Server(endpoint, null, Map.of(), null, List.of(), Map.of(), code, reason);
        }

        boolean mariadb() {
            return serverVersion != null && serverVersion.toLowerCase(java.util.Locale.ROOT).contains("mariadb");
        }

        String variable(String... names) {
            for (String n : names) {
                if (variables.containsKey(n)) {
                    return variables.get(n);
                }
            }
            return null;
        }
    }
}
