package io.opsdoc.lab.galera;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
