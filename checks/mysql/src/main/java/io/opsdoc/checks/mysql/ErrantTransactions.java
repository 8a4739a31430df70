package io.opsdoc.checks.mysql;

import io.opsdoc.checks.mysql.ReplicationProgress.MysqlGtidSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Transactions a replica has in its own binlog that its source never had (errant transactions): a write made directly
 * on the replica. They are invisible to lag and position checks, because the replica is not behind, it is elsewhere.
 *
 * <p>Transactions that originated on the source itself are never counted: the source is read before its replicas, so
 * a replica may already hold the source's newest transactions that the source's earlier snapshot lacks.
 */
final class ErrantTransactions {
    private ErrantTransactions() {
    }

    /**
     * @param count   how many: MySQL counts transactions; MariaDB counts (domain, server_id) streams, since its binlog
     *                state keeps only the last GTID of each
     * @param gtids   the errant GTIDs in the server's notation, empty when none
     * @param variable the variable they were read from
     */
    record Errant(long count, String gtids, String variable) {
        boolean isEmpty() {
            return count == 0;
        }
    }

    /** What {@code replica} has that {@code source} lacks; null when the flavour records nothing to compare. */
    static Errant of(FailoverFacts.Server source, FailoverFacts.Server replica) {
        if (source.mariadb()) {
            String state = replica.variable("gtid_binlog_state");
            return state == null ? null : mariadb(source.variable("gtid_binlog_state"), state,
                    source.variable("server_id"));
        }
        if ("ON".equalsIgnoreCase(source.variable("gtid_mode")) && replica.variable("gtid_executed") != null) {
            return mysql(source.variable("gtid_executed"), replica.variable("gtid_executed"),
                    source.variable("server_uuid"));
        }
        return null; // positions without GTID carry no origin to tell an errant write by
    }

    /**
     * MySQL: replica gtid_executed minus source gtid_executed, leaving out the source's own UUID (what GTID_SUBTRACT
     * would answer, computed here so the check needs no query on a replica).
     */
    static Errant mysql(String sourceExecuted, String replicaExecuted, String sourceUuid) {
        ReplicationProgress.Gap gap = MysqlGtidSet.parse(sourceExecuted).missingFrom(
                MysqlGtidSet.parse(replicaExecuted).without(sourceUuid));
        return new Errant(gap.transactions(), gap.missing(), "gtid_executed");
    }

    /**
     * MariaDB: gtid_binlog_state holds the last GTID of every (domain, server_id) a server's binlog has. An entry of
     * the replica's whose server_id is not the source's, and which the source's state lacks or has at a lower seq_no,
     * was written on the replica (or on another server the source never heard of).
     */
    static Errant mariadb(String sourceState, String replicaState, String sourceServerId) {
        Map<String, Long> source = lastSeqByStream(sourceState);
        List<String> errant = new ArrayList<>();
        for (Map.Entry<String, Long> e : lastSeqByStream(replicaState).entrySet()) {
            String serverId = e.getKey().substring(e.getKey().indexOf('-') + 1);
            if (serverId.equals(sourceServerId == null ? "" : sourceServerId.trim())) {
                continue;
            }
            Long have = source.get(e.getKey());
            if (have == null || have < e.getValue()) {
                errant.add(e.getKey() + "-" + e.getValue());
            }
        }
        return new Errant(errant.size(), String.join(",", errant), "gtid_binlog_state");
    }

    /** {@code 0-1-57,0-2-9} to {"0-1": 57, "0-2": 9}. */
    private static Map<String, Long> lastSeqByStream(String state) {
        Map<String, Long> out = new TreeMap<>();
        String s = state == null ? "" : state.replaceAll("\\s+", "");
        for (String gtid : s.split(",")) {
            if (!gtid.matches("\\d+-\\d+-\\d+")) {
                continue;
            }
            int last = gtid.lastIndexOf('-');
            out.merge(gtid.substring(0, last).toLowerCase(Locale.ROOT), Long.parseLong(gtid.substring(last + 1)),
                    Math::max);
        }
        return out;
    }
}
