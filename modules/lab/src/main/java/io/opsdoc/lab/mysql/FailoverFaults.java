package io.opsdoc.lab.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Replication states for mysql-failover-readiness: which replicas to list, and a replica whose applier was stopped
 * while the primary kept writing, so that it holds fewer transactions than the others. heal() of the lab restarts
 * the appliers and waits until both replicas have caught up.
 */
public final class FailoverFaults {
    /** A row no other fault touches (1 is locked, 2 deleted by other faults). */
    private static final int WRITTEN_ROW = 3;
    /** How many transactions the primary commits while an applier is stopped. */
    public static final int WRITES = 3;
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** A scratch database that exists on the first replica only, for the errant write. */
    private static final String ERRANT_DB = "labhotfix";

    private FailoverFaults() {
    }

    /** host:port of the lab's first replica (log_slave_updates ON). */
    public static String firstReplica(MariaDbReplicationLab lab) {
        return lab.host() + ":" + lab.replicaPort();
    }

    /** host:port of the second replica (log_slave_updates OFF), started on first use. */
    public static String secondReplica(MariaDbReplicationLab lab) {
        return lab.host() + ":" + lab.secondReplica().port();
    }

    public static String bothReplicas(MariaDbReplicationLab lab) {
        return firstReplica(lab) + "," + secondReplica(lab);
    }

    /** STOP SLAVE SQL_THREAD on the second replica, then {@link #WRITES} commits on the primary that it receives only. */
    public static void secondReplicaBehind(MariaDbReplicationLab lab) {
        SecondReplica second = lab.secondReplica();
        try (Connection r2 = second.admin()) {
            Jdbc.execute(r2, "STOP SLAVE SQL_THREAD");
            ReplicaStatus.await(r2, "Slave_SQL_Running=No", s -> ReplicaStatus.is(s, "Slave_SQL_Running", "No"), DEADLINE);
            String position = writeOnPrimary(lab);
            // received, not applied: the relay log holds what the failover would lose
            ReplicaStatus.await(r2, "received up to " + position, s -> position.equals(s.get("Gtid_IO_Pos")), DEADLINE);
            try (Connection r1 = lab.adminConnection(true)) {
                ReplicaStatus.await(r1, "the first replica applied " + position,
                        s -> ReplicaStatus.healthy(s) && position.equals(s.get("Gtid_IO_Pos")), DEADLINE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot hold the second replica behind", e);
        }
    }

    /** STOP SLAVE SQL_THREAD on the first replica, then {@link #WRITES} commits on the primary. */
    public static void firstReplicaBehind(MariaDbReplicationLab lab) {
        lab.stopSqlThread();
        try (Connection r1 = lab.adminConnection(true)) {
            String position = writeOnPrimary(lab);
            ReplicaStatus.await(r1, "received up to " + position, s -> position.equals(s.get("Gtid_IO_Pos")), DEADLINE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot hold the first replica behind", e);
        }
    }

    /**
     * An errant transaction: an operator with SUPER "fixed" something directly on the first replica with the binlog on
     * (read_only does not stop SUPER), so the replica's binlog gets a GTID under its own server_id that the primary
     * never had. The returned handle drops the scratch table without logging and clears the replica's binlog (RESET
     * MASTER: with MASTER_USE_GTID=slave_pos replication resumes from gtid_slave_pos, which the errant write never
     * touched), so the replica's gtid_binlog_state holds no stray GTID afterwards.
     */
    public static AutoCloseable errantWriteOnReplica(MariaDbReplicationLab lab) throws SQLException {
        AutoCloseable undo = () -> {
            try (Connection r1 = lab.adminConnection(true)) {
                Jdbc.execute(r1, "SET SESSION sql_log_bin = 0", "DROP DATABASE IF EXISTS " + ERRANT_DB,
                        "RESET MASTER");
                String state = Jdbc.singleValue(r1, "SELECT @@GLOBAL.gtid_binlog_state");
                if (state != null && !state.isBlank()) {
                    throw new IllegalStateException("the replica's binlog state is not empty after RESET MASTER: " + state);
                }
            }
        };
        try (Connection r1 = lab.adminConnection(true)) {
            String serverId = Jdbc.singleValue(r1, "SELECT @@GLOBAL.server_id");
            // the scratch table itself is created unlogged: only the operator's row is the errant transaction
            Jdbc.execute(r1, "SET SESSION sql_log_bin = 0", "CREATE DATABASE IF NOT EXISTS " + ERRANT_DB,
                    "CREATE TABLE IF NOT EXISTS " + ERRANT_DB + ".hotfix (id INT AUTO_INCREMENT PRIMARY KEY, note "
                            + "VARCHAR(64) NOT NULL)",
                    "SET SESSION sql_log_bin = 1",
                    "INSERT INTO " + ERRANT_DB + ".hotfix (note) VALUES ('fixed by hand on the replica')");
            String state = Jdbc.singleValue(r1, "SELECT @@GLOBAL.gtid_binlog_state");
            if (state == null || !state.matches(".*\\b\\d+-" + serverId + "-\\d+.*")) {
                throw new IllegalStateException("no GTID of server_id " + serverId + " in the replica's binlog state: "
                        + state);
            }
            return undo;
        } catch (SQLException | RuntimeException e) {
            try {
                undo.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** @return the primary's gtid_binlog_pos after the writes */
    private static String writeOnPrimary(MariaDbReplicationLab lab) throws SQLException {
        try (Connection primary = lab.adminConnection(false)) {
            for (int i = 0; i < WRITES; i++) {
                Jdbc.execute(primary, "UPDATE " + LabServers.TABLE + " SET v = v + 1 WHERE id = " + WRITTEN_ROW);
            }
            return Jdbc.singleValue(primary, "SELECT @@GLOBAL.gtid_binlog_pos");
        }
    }
}
