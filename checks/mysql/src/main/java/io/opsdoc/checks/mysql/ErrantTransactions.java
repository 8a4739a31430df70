package io.opsdoc.checks.mysql;

import io.opsdoc.checks.mysql.ReplicationProgress.MysqlGtidSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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

    /**
     * What {@code replica} has that {@code source} lacks; null when the flavour records nothing to compare. What the
     * replica receives through its other channels (a multi-source replica) is not errant: MySQL's Retrieved_Gtid_Set
     * of those channels, and on MariaDB the domains of their Gtid_IO_Pos, are left out.
     */
    static Errant of(FailoverFacts.Server source, FailoverFacts.Server replica, Map<String, String> fromSource) {
        List<Map<String, String>> others = replica.channels().stream().filter(c -> c != fromSource).toList();
        if (source.mariadb()) {
            String state = replica.variable("gtid_binlog_state");
            Set<String> otherDomains = new TreeSet<>();
            for (Map<String, String> c : others) {
                for (String gtid : String.valueOf(c.get("Gtid_IO_Pos")).replaceAll("\\s+", "").split(",")) {
                    if (gtid.matches("\\d+-\\d+-\\d+")) {
                        otherDomains.add(gtid.substring(0, gtid.indexOf('-')));
                    }
                }
            }
            return state == null ? null : mariadb(source.variable("gtid_binlog_state"), state,
                    source.variable("server_id"), otherDomains);
        }
        if ("ON".equalsIgnoreCase(source.variable("gtid_mode")) && replica.variable("gtid_executed") != null) {
            StringBuilder known = new StringBuilder(String.valueOf(source.variable("gtid_executed")));
            for (Map<String, String> c : others) {
                String retrieved = c.get("Retrieved_Gtid_Set");
                if (retrieved != null && !retrieved.isBlank()) {
                    known.append(',').append(retrieved);
                }
            }
            return mysql(known.toString(), replica.variable("gtid_executed"), source.variable("server_uuid"));
        }
        return null; // positions without GTID carry no origin to tell an errant write by
    }

    /**
     * MySQL: replica gtid_executed minus what the source has executed (and the replica's other channels retrieved),
     * leaving out the source's own UUID (what GTID_SUBTRACT would answer, computed here so the check needs no query on
     * a replica).
     */
    static Errant mysql(String known, String replicaExecuted, String sourceUuid) {
        ReplicationProgress.Gap gap = MysqlGtidSet.parse(known).missingFrom(
                MysqlGtidSet.parse(replicaExecuted).without(sourceUuid));
        return new Errant(gap.transactions(), gap.missing(), "gtid_executed");
    }

    static Errant mariadb(String sourceState, String replicaState, String sourceServerId) {
        return mariadb(sourceState, replicaState, sourceServerId, Set.of());
    }

    /**
     * MariaDB: gtid_binlog_state holds the last GTID of every (domain, server_id) a server's binlog has. An entry of
     * the replica's whose server_id is not the source's, in a domain no other channel of the replica brings, and which
     * the source's state lacks or has at a lower seq_no, was written on the replica.
     */
    static Errant mariadb(String sourceState, String replicaState, String sourceServerId, Set<String> otherDomains) {
        Map<String, Long> source = lastSeqByStream(sourceState);
        List<String> errant = new ArrayList<>();
        for (Map.Entry<String, Long> e : lastSeqByStream(replicaState).entrySet()) {
            String domain = e.getKey().substring(0, e.getKey().indexOf('-'));
            String serverId = e.getKey().substring(e.getKey().indexOf('-') + 1);
            if (serverId.equals(sourceServerId == null ? "" : sourceServerId.trim()) || otherDomains.contains(domain)) {
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
