package io.opsdoc.lab.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Server settings and workloads for the server-level MySQL checks: slow queries, durability, isolation, the binlog
 * cache, throughput and replication configuration. Each returns a handle that restores exactly what it changed (global
 * variables to the values read before) and stops the clients it started.
 */
public final class ServerFaults {
    private static final String SPILL_TABLE = "labdb.spill";
    /**
     * Well under the default binlog_cache_size (32768), and big enough to spill from the smallest (4096): MariaDB's
     * cache holds somewhat more than its nominal size (an 8 000-byte row event still fit in 4096; 12 000 did not).
     */
    private static final int SPILL_ROW_BYTES = 16_000;

    private ServerFaults() {
    }

    /** A primary setting changed and held: {@code ServerFaults.primary(lab, "sync_binlog", "0")}. */
    public static AutoCloseable primary(MariaDbReplicationLab lab, String... namesAndValues) {
        return GlobalSetting.set(lab, false, namesAndValues);
    }

    /** A replica setting changed and held. */
    public static AutoCloseable replica(MariaDbReplicationLab lab, String... namesAndValues) {
        return GlobalSetting.set(lab, true, namesAndValues);
    }

    /**
     * A client on the primary runs SELECT SLEEP(0.2) every 50 ms with its session long_query_time lowered to 0.1 s:
     * Slow_queries grows while the check watches (the server-wide long_query_time stays as it is).
     */
    public static AutoCloseable slowQueries(MariaDbReplicationLab lab) throws SQLException {
        long before = ServerStatus.counter(lab, false, "Slow_queries");
        Connection c = Jdbc.connect(LabUsers.HOST, lab.primaryPort(), lab.noPrivilegeUser(), lab.noPrivilegePassword());
        Jdbc.execute(c, "SET SESSION long_query_time = 0.1");
        BackgroundLoad load = lab.untilHeal(BackgroundLoad.statements("slow-queries", c, Duration.ofMillis(50),
                "SELECT SLEEP(0.2)"));
        ServerStatus.awaitGrowth(lab, false, "Slow_queries", before, 2);
        return load;
    }

    /** The slow queries above with the slow query log switched on. */
    public static AutoCloseable slowQueriesLogged(MariaDbReplicationLab lab) throws SQLException {
        Undo undo = lab.untilHeal(new Undo());
        undo.add(primary(lab, "slow_query_log", "1"));
        undo.add(slowQueries(lab));
        return undo;
    }

    /** The given replica slave_parallel_threads (MariaDB: changeable only with the slave threads stopped). */
    public static AutoCloseable parallelApplier(MariaDbReplicationLab lab, int threads) {
        return GlobalSetting.setWithSlaveStopped(lab, "slave_parallel_threads", Integer.toString(threads));
    }

    /**
     * The replica is given its source's server_id and its replication restarted: the I/O thread stops with error 1593.
     * The handle puts the replica's own id back; heal() restarts replication.
     */
    public static AutoCloseable serverIdClash(MariaDbReplicationLab lab) throws SQLException {
        String sourceId;
        try (Connection primary = lab.adminConnection(false)) {
            sourceId = Jdbc.singleValue(primary, "SELECT @@GLOBAL.server_id");
        }
        GlobalSetting clash = GlobalSetting.setAround(lab, true, List.of("STOP SLAVE", "START SLAVE"),
                "server_id", sourceId);
        try (Connection replica = lab.adminConnection(true)) {
            ReplicaStatus.await(replica, "Last_IO_Errno=1593", s -> ReplicaStatus.is(s, "Last_IO_Errno", "1593"),
                    ServerStatus.DEADLINE);
        } catch (RuntimeException e) {
            clash.close();
            throw e;
        }
        return clash;
    }

    /**
     * A writer on the primary inserts and deletes a 16 000-byte row every 20 ms; with {@code smallCache} the primary's
     * binlog_cache_size is first lowered to 4096, so each of those transactions spills to a temporary file.
     */
    public static AutoCloseable bigTransactions(MariaDbReplicationLab lab, boolean smallCache) throws SQLException {
        Undo undo = lab.untilHeal(new Undo());
        try {
            if (smallCache) {
                undo.add(primary(lab, "binlog_cache_size", "4096"));
            }
            long before = ServerStatus.counter(lab, false, "Binlog_cache_use");
            // a new connection: a session sizes its binlog cache from the global value when it first needs one
            Connection writer = lab.adminConnection(false);
            Jdbc.execute(writer, "CREATE TABLE IF NOT EXISTS " + SPILL_TABLE
                    + " (id INT AUTO_INCREMENT PRIMARY KEY, pad LONGTEXT NOT NULL) ENGINE=InnoDB");
            undo.add(BackgroundLoad.statements("big-transactions", writer, Duration.ofMillis(20),
                    "INSERT INTO " + SPILL_TABLE + " (pad) VALUES (REPEAT('x', " + SPILL_ROW_BYTES + "))",
                    "DELETE FROM " + SPILL_TABLE));
            ServerStatus.awaitGrowth(lab, false, "Binlog_cache_use", before, 4);
            if (smallCache) {
                ServerStatus.await(lab, false, "Binlog_cache_disk_use > 0",
                        s -> ServerStatus.number(s, "Binlog_cache_disk_use") > 0, "Binlog_cache_disk_use");
            }
            return undo;
        } catch (SQLException | RuntimeException e) {
            undo.close();
            throw e;
        }
    }

    /**
     * Clients on the primary: one runs SELECT 1 every 5 ms, another commits an explicit one-row transaction every
     * 20 ms, so the window sees well over 20 queries and 5 transactions per second on an idle machine.
     */
    public static AutoCloseable busy(MariaDbReplicationLab lab) throws SQLException {
        Undo undo = lab.untilHeal(new Undo());
        try {
            long before = ServerStatus.counter(lab, false, "Com_commit");
            Connection reader = Jdbc.connect(LabUsers.HOST, lab.primaryPort(), lab.noPrivilegeUser(),
                    lab.noPrivilegePassword());
            undo.add(BackgroundLoad.statements("queries", reader, Duration.ofMillis(5), "SELECT 1"));
            undo.add(BackgroundLoad.statements("transactions", lab.adminConnection(false), Duration.ofMillis(20),
                    "BEGIN", "UPDATE " + LabServers.TABLE + " SET v = v + 1 WHERE id = 4", "COMMIT"));
            ServerStatus.awaitGrowth(lab, false, "Com_commit", before, 5);
            return undo;
        } catch (SQLException | RuntimeException e) {
            undo.close();
            throw e;
        }
    }
}
