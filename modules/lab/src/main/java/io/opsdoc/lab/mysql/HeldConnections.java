package io.opsdoc.lab.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client connections held open on a lab server, idle or each busy with one long statement. Closing kills them by
 * connection id as the admin (exactly the lab's threads, and a running SLEEP ends at once instead of running on after
 * the socket is gone).
 */
final class HeldConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeldConnections.class);

    private final MariaDbReplicationLab lab;
    private final boolean replica;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Long> ids = new CopyOnWriteArrayList<>();
    private final List<Thread> busy = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    HeldConnections(MariaDbReplicationLab lab, boolean replica) {
        this.lab = lab;
        this.replica = replica;
    }

    /** Opens one more idle connection as the user without privileges. */
    void openIdle() throws SQLException {
        Connection c = Jdbc.connect(LabUsers.HOST, replica ? lab.replicaPort() : lab.primaryPort(),
                lab.noPrivilegeUser(), lab.noPrivilegePassword());
        connections.add(c);
        ids.add(Long.parseLong(Jdbc.singleValue(c, "SELECT CONNECTION_ID()")));
    }

    /** Opens one more connection that runs {@code sql} (a long SLEEP) in its own thread until killed. */
    void openBusy(String sql) throws SQLException {
        openIdle();
        Connection c = connections.get(connections.size() - 1);
        Thread t = new Thread(() -> {
            try {
                Jdbc.execute(c, sql);
            } catch (SQLException e) {
                log.debug("held statement ended: {}", e.getMessage());
            }
        }, "opsdoc-lab-held-statement");
        t.setDaemon(true);
        t.start();
        busy.add(t);
    }

    int size() {
        return connections.size();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (Connection admin = lab.adminConnection(replica)) {
            for (long id : ids) {
                try {
                    Jdbc.execute(admin, "KILL CONNECTION " + id);
                } catch (SQLException e) {
                    log.debug("connection {} already gone: {}", id, e.getMessage());
                }
            }
        } catch (SQLException e) {
            log.warn("cannot connect as admin to kill the held connections", e);
        }
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing a killed connection: {}", e.getMessage());
            }
        }
        for (Thread t : busy) {
            try {
                t.join(Jdbc.SOCKET_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
