package io.opsdoc.lab.mysql;

import static io.opsdoc.lab.mysql.ReplicaStatus.applierBehind;
import static io.opsdoc.lab.mysql.ReplicaStatus.is;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * The replica switched from GTID to binlog file and position, optionally with MASTER_DELAY: the change behind
 * {@link MariaDbReplicationLab#configuredDelay(int)} and {@link MariaDbReplicationLab#positionBasedReplication()}.
 * It resumes at the applied file and position, so nothing is skipped or applied twice.
 */
final class PositionReplication {
    private PositionReplication() {
    }

    static void switchTo(Connection onReplica, int delaySeconds, Duration deadline) throws SQLException {
        if (delaySeconds < 0) {
            throw new IllegalArgumentException("delay must not be negative: " + delaySeconds);
        }
        Jdbc.execute(onReplica, "STOP SLAVE");
        Map<String, String> stopped = Jdbc.firstRow(onReplica, "SHOW SLAVE STATUS");
        String appliedFile = stopped.get("Relay_Master_Log_File");
        String appliedPosition = stopped.get("Exec_Master_Log_Pos");
        if (appliedFile == null || appliedFile.isEmpty() || appliedPosition == null) {
            throw new IllegalStateException("the replica has no applied position to delay from (heal() first?): "
                    + ReplicaStatus.summary(stopped));
        }
        Jdbc.execute(onReplica,
                "CHANGE MASTER TO MASTER_DELAY = " + delaySeconds + ", MASTER_USE_GTID = no, MASTER_LOG_FILE = '"
                        + appliedFile + "', MASTER_LOG_POS = " + appliedPosition,
                "START SLAVE");
        String delay = Integer.toString(delaySeconds);
        ReplicaStatus.await(onReplica, "SQL_Delay=" + delaySeconds + " and otherwise healthy",
                s -> is(s, "SQL_Delay", delay) && is(s, "Slave_IO_Running", "Yes")
                        && is(s, "Slave_SQL_Running", "Yes") && is(s, "Seconds_Behind_Master", "0")
                        && is(s, "Last_IO_Errno", "0") && is(s, "Last_SQL_Errno", "0") && !applierBehind(s),
                deadline);
    }
}
