package io.opsdoc.lab.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * MariaDB's built-in semi-synchronous replication on the lab pair: enabled and acknowledged, then the replica's I/O
 * thread stopped (no replica left to acknowledge), then a commit that waits out the timeout so the primary falls back
 * to asynchronous replication. The handles restore every variable exactly; heal() restarts the I/O thread.
 */
public final class SemisyncFaults {
    /** Short, so the commit that triggers the fallback does not hold the scenario for the default 10 s. */
    private static final String TIMEOUT_MS = "500";

    private SemisyncFaults() {
    }

    /** Semi-sync enabled on both servers, the replica registered as a semi-sync client: status ON, 1 client. */
    public static AutoCloseable acknowledged(MariaDbReplicationLab lab) {
        Undo undo = lab.untilHeal(new Undo());
        try {
            undo.add(GlobalSetting.set(lab, false, "rpl_semi_sync_master_enabled", "1",
                    "rpl_semi_sync_master_timeout", TIMEOUT_MS));
            // the replica announces semi-sync when its I/O thread connects, so it is restarted around the change
            undo.add(GlobalSetting.setAround(lab, true, List.of("STOP SLAVE IO_THREAD", "START SLAVE IO_THREAD"),
                    "rpl_semi_sync_slave_enabled", "1"));
            ServerStatus.await(lab, false, "Rpl_semi_sync_master_status=ON with 1 client",
                    s -> "ON".equals(s.get("Rpl_semi_sync_master_status"))
                            && ServerStatus.number(s, "Rpl_semi_sync_master_clients") == 1,
                    "Rpl_semi_sync_master_status", "Rpl_semi_sync_master_clients");
            return undo;
        } catch (RuntimeException e) {
            undo.close();
            throw e;
        }
    }

    /**
     * As {@link #acknowledged}, then the replica's I/O thread stops: 0 clients, status still ON until a commit waits.
     * The primary's binlog dump thread notices a gone replica only when it next sends (an event or a heartbeat,
     * half of slave_net_timeout later), so the lab ends it the way an operator would, with KILL.
     */
    public static AutoCloseable noReplicaConnected(MariaDbReplicationLab lab) throws SQLException {
        AutoCloseable enabled = acknowledged(lab);
        try (Connection replica = lab.adminConnection(true); Connection primary = lab.adminConnection(false)) {
            Jdbc.execute(replica, "STOP SLAVE IO_THREAD");
            String dumpThread = Jdbc.singleValue(primary, "SELECT id FROM information_schema.processlist "
                    + "WHERE command = 'Binlog Dump'");
            if (dumpThread != null) {
                Jdbc.execute(primary, "KILL CONNECTION " + dumpThread);
            }
        }
        ServerStatus.await(lab, false, "Rpl_semi_sync_master_clients=0",
                s -> ServerStatus.number(s, "Rpl_semi_sync_master_clients") == 0, "Rpl_semi_sync_master_clients");
        return enabled;
    }

    /** As {@link #noReplicaConnected}, then a commit on the primary waits 500 ms unacknowledged: status OFF. */
    public static AutoCloseable fellBackToAsync(MariaDbReplicationLab lab) throws SQLException {
        AutoCloseable enabled = noReplicaConnected(lab);
        try (Connection primary = lab.adminConnection(false)) {
            Jdbc.execute(primary, "UPDATE " + LabServers.TABLE + " SET v = v + 1 WHERE id = 5");
        }
        ServerStatus.await(lab, false, "Rpl_semi_sync_master_status=OFF",
                s -> "OFF".equals(s.get("Rpl_semi_sync_master_status")), "Rpl_semi_sync_master_status");
        return enabled;
    }
}
