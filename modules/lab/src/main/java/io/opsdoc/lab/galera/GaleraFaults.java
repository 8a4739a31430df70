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

    /**
     * Node 2's only applier thread is blocked by a session on node 2 holding LOCK TABLES on the table node 1 writes:
     * the applier waits for the table's metadata lock (Galera does not abort an explicit table lock), node 2's receive
     * queue passes gcs.fc_limit (lowered to 1) and node 2 asks the cluster to pause. The pause lasts, by construction,
     * as long as the lock is held: node 1's writer stalls at its next commit and wsrep_flow_control_paused_ns grows on
     * every node.
     */
    static AutoCloseable flowControlPaused(GaleraLab lab) throws SQLException {
        createTable(lab);
        String before = providerOption(lab, 2, "gcs.fc_limit");
        lab.execute(2, "SET GLOBAL wsrep_provider_options = 'gcs.fc_limit=1'");
        Connection locker = lab.admin(2);
        Writers writers = new Writers();
        AutoCloseable undo = () -> {
            locker.close(); // the applier gets the table, applies the queue and node 2 lets the cluster resume
            writers.close();
            lab.execute(2, "SET GLOBAL wsrep_provider_options = 'gcs.fc_limit=" + before + "'");
            lab.awaitNode(2, "no flow control, an empty receive queue", s -> "false".equals(
                    s.get("wsrep_flow_control_requested")) && "0".equals(s.get("wsrep_local_recv_queue")),
                    Duration.ofSeconds(30));
        };
        try {
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLES " + TABLE + " WRITE");
            }
            writers.start(lab, 1, "UPDATE " + TABLE + " SET v = v + 1 WHERE id = 4");
            lab.awaitNode(2, "wsrep_flow_control_requested=true", s -> "true".equals(
                    s.get("wsrep_flow_control_requested")), Duration.ofSeconds(20));
            lab.awaitNode(1, "wsrep_flow_control_active=true", s -> "true".equals(
                    s.get("wsrep_flow_control_active")), Duration.ofSeconds(20));
            return undo;
        } catch (RuntimeException | SQLException e) {
            close(undo);
            throw e;
        }
    }

    /**
     * A Synced node with a long receive queue and no flow control: a session on node 2 holds LOCK TABLES on the table
     * (its applier waits for the metadata lock), gcs.fc_limit on node 2 is raised above the backlog, and node 1 commits
     * exactly {@link #BACKLOG} updates. Node 2 then holds that many write-sets unapplied, by construction, for as long
     * as the lock is held, and stays Synced (state 4): nothing desynced it.
     */
    static AutoCloseable recvQueueBacklog(GaleraLab lab) throws SQLException {
        createTable(lab);
        String before = providerOption(lab, 2, "gcs.fc_limit");
        lab.execute(2, "SET GLOBAL wsrep_provider_options = 'gcs.fc_limit=" + (BACKLOG * 10) + "'");
        Connection locker = lab.admin(2);
        AutoCloseable undo = () -> {
            locker.close();
            lab.execute(2, "SET GLOBAL wsrep_provider_options = 'gcs.fc_limit=" + before + "'");
            lab.awaitNode(2, "an empty receive queue", s -> "0".equals(s.get("wsrep_local_recv_queue")),
                    Duration.ofSeconds(30));
        };
        try {
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLES " + TABLE + " WRITE");
            }
            try (Connection c = lab.admin(1); Statement s = c.createStatement()) {
                for (int i = 0; i < BACKLOG; i++) {
                    s.execute("UPDATE " + TABLE + " SET v = v + 1 WHERE id = 5");
                }
            }
            // the applier holds the first write-set while it waits for the lock: BACKLOG - 1 stay queued
            lab.awaitNode(2, "wsrep_local_recv_queue >= " + (BACKLOG - 1), s -> counter(s, "wsrep_local_recv_queue")
                    >= BACKLOG - 1, Duration.ofSeconds(20));
            return undo;
        } catch (RuntimeException | SQLException e) {
            close(undo);
            throw e;
        }
    }

    /** Write-sets left unapplied on node 2 by recvQueueBacklog: over recv-queue-warning (100), far under fc_limit. */
    static final int BACKLOG = 300;

    /** The current value of one wsrep provider option on a node (e.g. gcs.fc_limit = 16). */
    static String providerOption(GaleraLab lab, int node, String name) throws SQLException {
        try (Connection c = lab.admin(node); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT @@GLOBAL.wsrep_provider_options")) {
            rs.next();
            for (String option : rs.getString(1).split(";")) {
                String[] kv = option.split("=", 2);
                if (kv.length == 2 && kv[0].trim().equals(name)) {
                    return kv[1].trim();
                }
            }
        }
        throw new IllegalStateException("node" + node + " has no provider option " + name);
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
