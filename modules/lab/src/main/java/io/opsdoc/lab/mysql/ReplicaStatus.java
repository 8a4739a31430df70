package io.opsdoc.lab.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The replica's {@code SHOW SLAVE STATUS} row as the lab reads it: the states a fault or a heal waits for, and the
 * columns a failed wait reports, so that a lab that could not induce a fault says what the replica showed instead.
 */
final class ReplicaStatus {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    /** What a failed wait shows of the last row: the threads, their errors, and where each one is. */
    private static final List<String> SHOWN = List.of("Slave_IO_Running", "Slave_SQL_Running", "Last_IO_Errno",
            "Last_IO_Error", "Last_SQL_Errno", "Last_SQL_Error", "Seconds_Behind_Master", "SQL_Delay", "Master_Port",
            "Master_Log_File", "Read_Master_Log_Pos", "Relay_Master_Log_File", "Exec_Master_Log_Pos");

    private ReplicaStatus() {
    }

    /** Where the rows come from: the replica, or recorded rows in a test of the waits themselves. */
    @FunctionalInterface
    interface Source {
        Map<String, String> read() throws SQLException;
    }

    /** The single row, column to value, nulls kept; empty when the server is no replica. */
    static Map<String, String> read(Connection replica) throws SQLException {
        return Jdbc.firstRow(replica, "SHOW SLAVE STATUS");
    }

    /**
     * Polls until {@code shows} holds and returns that row, or throws with the last row after {@code deadline}.
     * Polls in the caller's thread: the connection is the caller's, and a poll stuck in a read ends by its socket
     * timeout, not by a thread left running.
     */
    static Map<String, String> await(Connection replica, String expectation, Predicate<Map<String, String>> shows,
            Duration deadline) {
        return await(() -> read(replica), expectation, shows, deadline);
    }

    static Map<String, String> await(Source replica, String expectation, Predicate<Map<String, String>> shows,
            Duration deadline) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
        try {
            poll(expectation, deadline).until(() -> {
                last.set(read(replica, "waiting for " + expectation));
                return shows.test(last.get());
            });
            return last.get();
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("replica did not show " + expectation + " within " + deadline.toSeconds()
                    + " s; last SHOW SLAVE STATUS: " + summary(last.get()), e);
        }
    }

    /**
     * Waits until the replica is {@link #healthy} and has read everything the primary has written (its binlog file
     * and position). Fails at once when the SQL thread stops on an error: after RESET SLAVE ALL that error is new,
     * and waiting will not fix it.
     */
    static void awaitCaughtUp(Connection replica, Connection primary, Duration deadline) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
        AtomicReference<String> primaryPosition = new AtomicReference<>("?");
        try {
            poll("the replica healthy and caught up", deadline).until(() -> {
                Map<String, String> binlog = primaryBinlog(primary);
                Map<String, String> status = read(() -> read(replica), "healing");
                primaryPosition.set(binlog.get("File") + ":" + binlog.get("Position"));
                last.set(status);
                if (is(status, "Slave_SQL_Running", "No") && !is(status, "Last_SQL_Errno", "0")) {
                    throw new IllegalStateException("the replica's SQL thread stopped again after heal, on a conflict "
                            + "the lab did not inject (a write made on the replica outside the lab?); "
                            + "SHOW SLAVE STATUS: " + summary(status));
                }
                return healthy(status) && is(status, "Master_Log_File", binlog.get("File"))
                        && is(status, "Read_Master_Log_Pos", binlog.get("Position"));
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("replica not healthy within " + deadline.toSeconds() + " s (primary binlog at "
                    + primaryPosition.get() + "); last SHOW SLAVE STATUS: " + summary(last.get()), e);
        }
    }

    /** Both threads running without errors, no lag, no delay, nothing received left unapplied. */
    static boolean healthy(Map<String, String> s) {
        return is(s, "Slave_IO_Running", "Yes") && is(s, "Slave_SQL_Running", "Yes")
                && is(s, "Seconds_Behind_Master", "0") && is(s, "Last_IO_Errno", "0") && is(s, "Last_SQL_Errno", "0")
                && is(s, "SQL_Delay", "0") && !applierBehind(s);
    }

    static boolean is(Map<String, String> status, String column, String expected) {
        return expected != null && expected.equals(status.get(column));
    }

    /** Seconds_Behind_Master, or -1 when it is NULL (a stopped thread). */
    static long secondsBehind(Map<String, String> status) {
        String value = status.get("Seconds_Behind_Master");
        return value == null ? -1 : Long.parseLong(value);
    }

    /** True while the SQL thread has not executed everything the IO thread has read. */
    static boolean applierBehind(Map<String, String> s) {
        return !(Objects.equals(s.get("Master_Log_File"), s.get("Relay_Master_Log_File"))
                && Objects.equals(s.get("Read_Master_Log_Pos"), s.get("Exec_Master_Log_Pos")));
    }

    static String summary(Map<String, String> status) {
        if (status.isEmpty()) {
            return "(no row)";
        }
        Map<String, String> shown = new LinkedHashMap<>();
        SHOWN.forEach(column -> shown.put(column, status.get(column)));
        return shown.toString();
    }

    private static org.awaitility.core.ConditionFactory poll(String alias, Duration deadline) {
        return Awaitility.await(alias).atMost(deadline).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
                .pollInSameThread();
    }

    private static Map<String, String> primaryBinlog(Connection primary) {
        try {
            return Jdbc.firstRow(primary, "SHOW MASTER STATUS");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read SHOW MASTER STATUS on the primary while healing", e);
        }
    }

    /** A read error is no reason to poll on: it ends the wait with the cause. */
    private static Map<String, String> read(Source replica, String during) {
        try {
            return replica.read();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read SHOW SLAVE STATUS while " + during, e);
        }
    }
}
