package io.opsdoc.lab.mysql;

import static io.opsdoc.lab.mysql.ReplicaStatus.applierBehind;
import static io.opsdoc.lab.mysql.ReplicaStatus.is;
import static io.opsdoc.lab.mysql.ReplicaStatus.secondsBehind;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Faults that stop or hold back the replica's applier (SQL thread) through the lab table's rows: a conflicting row
 * written on the replica alone (the SQL thread stops with an error), or a row the replica keeps locked (it waits).
 * Each returns once SHOW SLAVE STATUS shows the fault; heal() of the lab repairs the rows and releases the locks.
 */
public final class ApplierFaults {
    private static final String LAB_TABLE = LabServers.TABLE;
    /** holdApplierBehind() locks this row on the replica and updates it on the primary. */
    private static final int LOCKED_ROW_ID = 1;
    /** missingRowConflict() deletes this row on the replica and updates it on the primary. */
    private static final int MISSING_ROW_ID = 2;

    /** Returned by {@link #holdApplierBehind(MariaDbReplicationLab, Duration)}; closing it lets the applier continue. */
    public interface AppliedLag extends AutoCloseable {
        @Override
        void close();
    }

    private ApplierFaults() {
    }

    /** A row inserted on the replica, then the same key on the primary: the SQL thread stops with 1062. */
    public static void duplicateKeyConflict(MariaDbReplicationLab lab) {
        // under the lab's lock, as its own injectors and heal() are: heal() never runs halfway through a fault
        synchronized (lab) {
            lab.ensureOpen();
            int id = lab.nextConflictId();
            lab.repairOnHeal("DELETE FROM " + LAB_TABLE + " WHERE id = " + id);
            try (Connection onReplica = lab.adminConnection(true); Connection onPrimary = lab.adminConnection(false)) {
                Jdbc.execute(onReplica, "SET SESSION sql_log_bin = 0",
                        "INSERT INTO " + LAB_TABLE + " (id, v) VALUES (" + id + ", -1)");
                Jdbc.execute(onPrimary, "INSERT INTO " + LAB_TABLE + " (id, v) VALUES (" + id + ", 1)");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot inject a duplicate key conflict", e);
            }
            lab.awaitReplicaStatus("Slave_SQL_Running=No, Last_SQL_Errno=1062",
                    s -> is(s, "Slave_SQL_Running", "No") && is(s, "Last_SQL_Errno", "1062"));
        }
    }

    /** A row deleted on the replica, then updated on the primary: the SQL thread stops with 1032. */
    public static void missingRowConflict(MariaDbReplicationLab lab) {
        synchronized (lab) {
            lab.ensureOpen();
            try (Connection onReplica = lab.adminConnection(true); Connection onPrimary = lab.adminConnection(false)) {
                String before = Jdbc.singleValue(onPrimary,
                        "SELECT v FROM " + LAB_TABLE + " WHERE id = " + MISSING_ROW_ID);
                if (before == null) {
                    throw new IllegalStateException("lab row " + MISSING_ROW_ID + " is missing on the primary");
                }
                // row events find the row by primary key, so the before-image value brings it back for good
                lab.repairOnHeal("INSERT IGNORE INTO " + LAB_TABLE + " (id, v) VALUES ("
                        + MISSING_ROW_ID + ", " + before + ")");
                Jdbc.execute(onReplica, "SET SESSION sql_log_bin = 0",
                        "DELETE FROM " + LAB_TABLE + " WHERE id = " + MISSING_ROW_ID);
                Jdbc.execute(onPrimary, "UPDATE " + LAB_TABLE + " SET v = v + 1 WHERE id = " + MISSING_ROW_ID);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot inject a missing row conflict", e);
            }
            lab.awaitReplicaStatus("Slave_SQL_Running=No, Last_SQL_Errno=1032",
                    s -> is(s, "Slave_SQL_Running", "No") && is(s, "Last_SQL_Errno", "1032"));
        }
    }

    /**
     * Real applier lag of about {@code eventAge}: a replica session holds a row lock, and the primary updates
     * that row with a binlog event timestamped {@code eventAge} ago (SET TIMESTAMP). The SQL thread blocks on
     * the lock, so Seconds_Behind_Master reports the event's age and Exec_Master_Log_Pos stays behind
     * Read_Master_Log_Pos until the returned handle is closed (or {@link MariaDbReplicationLab#heal()} runs).
     */
    public static AppliedLag holdApplierBehind(MariaDbReplicationLab lab, Duration eventAge) {
        synchronized (lab) {
            lab.ensureOpen();
            long seconds = eventAge.toSeconds();
            if (seconds < 0) {
                throw new IllegalArgumentException("event age must not be negative: " + eventAge);
            }
            RowLockSession lock;
            try {
                lock = lab.lockReplicaRow(LOCKED_ROW_ID);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect to the replica to lock row " + LOCKED_ROW_ID, e);
            }
            try (Connection onPrimary = lab.adminConnection(false)) {
                Jdbc.execute(onPrimary,
                        "SET TIMESTAMP = UNIX_TIMESTAMP() - " + seconds,
                        "UPDATE " + LAB_TABLE + " SET v = v + 1 WHERE id = " + LOCKED_ROW_ID,
                        "SET TIMESTAMP = DEFAULT");
                long atLeast = Math.max(0, seconds - 5);
                lab.awaitReplicaStatus("Seconds_Behind_Master >= " + atLeast + " with the applier behind the reader",
                        s -> is(s, "Slave_SQL_Running", "Yes") && secondsBehind(s) >= atLeast && applierBehind(s));
                return lock;
            } catch (SQLException | RuntimeException e) {
                lock.close();
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("cannot hold the applier behind", e);
            }
        }
    }
}
