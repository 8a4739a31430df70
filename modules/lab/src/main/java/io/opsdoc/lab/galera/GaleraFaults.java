package io.opsdoc.lab.galera;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication load on the Galera cluster for mysql-galera's windowed codes. Each fault starts client threads that write
 * through the admin account, waits until the nodes' counters show the effect, and returns a handle that stops the
 * clients and puts back what it changed; GaleraLab.heal() closes any handle left open.
 */
final class GaleraFaults {
    private static final Logger log = LoggerFactory.getLogger(GaleraFaults.class);
    static final String TABLE = "labgal.w";
    private static final int ROWS = 200;
    private static final Pattern FC_LIMIT = Pattern.compile("gcs\\.fc_limit\\s*=\\s*(\\d+)");

    private GaleraFaults() {
    }

    static void createTable(GaleraLab lab) throws SQLException {
        StringBuilder seed = new StringBuilder("INSERT IGNORE INTO " + TABLE + " (id, v) VALUES ");
        for (int id = 1; id <= ROWS; id++) {
            seed.append(id == 1 ? "" : ",").append('(').append(id).append(",0)");
        }
        try (Connection c = lab.admin(1); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS labgal");
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
            s.execute(seed.toString());
        }
    }

    /**
     * Node 2 asks for a pause as soon as one write-set waits (gcs.fc_limit=1) and applies with one thread, while four
     * clients on node 1 update disjoint rows as fast as they can: node 2 keeps sending flow control, node 1 stalls.
     */
    static AutoCloseable flowControl(GaleraLab lab) throws SQLException {
        createTable(lab);
        String before;
        try (Connection c = lab.admin(2)) {
            before = value(c, "SELECT @@GLOBAL.wsrep_provider_options");
        }
        Matcher m = FC_LIMIT.matcher(before);
        String limit = m.find() ? m.group(1) : "16";
        lab.execute(2, "SET GLOBAL wsrep_provider_options = 'gcs.fc_limit=1'");
        Writers writers = new Writers();
        AutoCloseable undo = () -> {
            writers.close();
            lab.execute(2, "SET GLOBAL wsrep_provider_options = 'gcs.fc_limit=" + limit + "'");
        };
        try {
            long sent = counter(lab.statusOf(2), "wsrep_flow_control_sent");
            for (int w = 0; w < 4; w++) {
                int from = w * (ROWS / 4) + 1;
                writers.start(lab, 1, "UPDATE " + TABLE + " SET v = v + 1 WHERE id BETWEEN " + from + " AND "
                        + (from + ROWS / 4 - 1));
            }
            lab.awaitNode(2, "wsrep_flow_control_sent > " + (sent + 5),
                    s -> counter(s, "wsrep_flow_control_sent") > sent + 5, Duration.ofSeconds(20));
            return undo;
        } catch (RuntimeException e) {
            close(undo);
            throw e;
        }
    }

    /** Two clients on node 1 and two on node 2 update the same row: commits on either side lose certification. */
    static AutoCloseable certificationConflicts(GaleraLab lab) throws SQLException {
        createTable(lab);
        Writers writers = new Writers();
        try {
            long failures = counter(lab.statusOf(1), "wsrep_local_cert_failures");
            for (int node : new int[] {1, 2, 1, 2}) {
                writers.start(lab, node, "UPDATE " + TABLE + " SET v = v + 1 WHERE id = 1");
            }
            lab.awaitNode(1, "wsrep_local_cert_failures > " + (failures + 2),
                    s -> counter(s, "wsrep_local_cert_failures") > failures + 2, Duration.ofSeconds(20));
            return writers;
        } catch (RuntimeException e) {
            writers.close();
            throw e;
        }
    }

    /**
     * A backup on node 2 holds FLUSH TABLES WITH READ LOCK, which desyncs and pauses it; node 1 keeps writing, so node
     * 2's receive queue grows (a desynced node sends no flow control).
     */
    static AutoCloseable fallingBehind(GaleraLab lab) throws SQLException {
        createTable(lab);
        Connection backup = lab.admin(2);
        Writers writers = new Writers();
        AutoCloseable undo = () -> {
            writers.close();
            backup.close(); // releases the read lock: the node resumes and resyncs
            lab.awaitNode(2, "Synced with an empty receive queue", s -> "4".equals(s.get("wsrep_local_state"))
                    && "0".equals(s.get("wsrep_local_recv_queue")), Duration.ofSeconds(30));
        };
        try {
            try (Statement s = backup.createStatement()) {
                s.execute("FLUSH TABLES WITH READ LOCK");
            }
            writers.start(lab, 1, "UPDATE " + TABLE + " SET v = v + 1 WHERE id = 2");
            writers.start(lab, 1, "UPDATE " + TABLE + " SET v = v + 1 WHERE id = 3");
            lab.awaitNode(2, "wsrep_local_recv_queue >= 300", s -> counter(s, "wsrep_local_recv_queue") >= 300,
                    Duration.ofSeconds(20));
            return undo;
        } catch (RuntimeException | SQLException e) {
            close(undo);
            throw e;
        }
    }

    private static void close(AutoCloseable undo) {
        try {
            undo.close();
        } catch (Exception e) {
            log.warn("could not undo a Galera fault", e);
        }
    }

    static long counter(Map<String, String> status, String name) {
        String v = status.get(name);
        return v == null ? -1 : Long.parseLong(v.trim());
    }

    private static String value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    /** Client threads repeating one statement until closed; errors (deadlocks, 1213) are the point, not failures. */
    static final class Writers implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Connection> connections = new ArrayList<>();

        void start(GaleraLab lab, int node, String sql) throws SQLException {
            Connection c = lab.admin(node);
            connections.add(c);
            Thread t = new Thread(() -> {
                try (Statement s = c.createStatement()) {
                    while (!stop.get()) {
                        try {
                            s.execute(sql);
                        } catch (SQLException e) {
                            if (c.isClosed()) {
                                return;
                            }
                        }
                    }
                } catch (SQLException e) {
                    // connection gone: the writer ends
                }
            }, "opsdoc-lab-galera-writer");
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }

        @Override
        public void close() {
            stop.set(true);
            for (Thread t : threads) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // closing a client of the lab: nothing to do
                }
            }
        }
    }
}
