package io.opsdoc.lab.galera;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certification failures on node 1, each one made by construction rather than by a race of concurrent writers.
 * One round:
 * <ol>
 * <li>a session on node 1 holds LOCK TABLES on an unrelated table {@code labgal.u}: node 1's only applier thread will
 * wait on it;</li>
 * <li>node 2 updates {@code labgal.u} (write-set W0, stuck in node 1's applier) and then row r of {@code labgal.w}
 * (W2, in node 1's receive queue behind W0: received, but neither certified nor applied);</li>
 * <li>node 1 updates row r locally (nothing locks it there yet) and commits: its write-set is ordered after W2 but was
 * executed without seeing it, so once the lock is released and W2 is certified, node 1's write-set fails
 * certification against W2: wsrep_local_cert_failures + 1 and the client gets 1213 at COMMIT.</li>
 * </ol>
 * A BF abort (wsrep_local_bf_aborts) would need W2 to reach row r while the local transaction holds it; here W2 is
 * still queued, so the local transaction's failure is a certification failure. Rounds repeat on a thread until the
 * handle is closed, so any sampling window sees some.
 */
final class CertificationConflicts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificationConflicts.class);
    static final String LOCKED = "labgal.u";
    private static final String ROW = "UPDATE " + GaleraFaults.TABLE + " SET v = v + 1 WHERE id = 5";
    private static final Duration STEP = Duration.ofSeconds(20);

    private final GaleraLab lab;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ExecutorService committer = Executors.newSingleThreadExecutor(r -> daemon(r, "committer"));
    private Thread loop;

    private CertificationConflicts(GaleraLab lab) {
        this.lab = lab;
    }

    /** Starts the rounds and returns once node 1 counted a certification failure. */
    static AutoCloseable start(GaleraLab lab) throws SQLException {
        GaleraFaults.createTable(lab);
        try (Connection c = lab.admin(1); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + LOCKED + " (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
            s.execute("INSERT IGNORE INTO " + LOCKED + " VALUES (1, 0)");
        }
        long before = GaleraFaults.counter(lab.statusOf(1), "wsrep_local_cert_failures");
        CertificationConflicts fault = new CertificationConflicts(lab);
        fault.loop = daemon(fault::run, "rounds");
        fault.loop.start();
        try {
            lab.awaitNode(1, "a certification failure", s -> {
                if (fault.failure.get() != null) {
                    throw new IllegalStateException("a conflict round failed", fault.failure.get());
                }
                return GaleraFaults.counter(s, "wsrep_local_cert_failures") > before;
            }, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            fault.close();
            throw e;
        }
        return fault;
    }

    private void run() {
        try (Connection locker = lab.admin(1); Connection remote = lab.admin(2); Connection local = lab.admin(1);
                Connection watch = lab.admin(1)) {
            local.setAutoCommit(false);
            long localId = connectionId(local);
            while (!stop.get()) {
                round(locker, remote, local, localId, watch);
                rounds.incrementAndGet();
            }
        } catch (Throwable t) { // NOPMD: reported to the waiting fault method, which fails with it
            if (!stop.get()) {
                failure.set(t);
                log.warn("certification conflict round failed", t);
            }
        }
    }

    private void round(Connection locker, Connection remote, Connection local, long localId, Connection watch)
            throws Exception {
        long received = status(watch, "wsrep_received");
        try (Statement s = locker.createStatement()) {
            s.execute("LOCK TABLES " + LOCKED + " WRITE");
        }
        try {
            try (Statement s = remote.createStatement()) {
                s.execute("UPDATE " + LOCKED + " SET v = v + 1 WHERE id = 1"); // W0: blocks node 1's applier
                s.execute(ROW); // W2: queued on node 1 behind W0
            }
            // wsrep_received counts what the applier took (W0); W2 waits in the receive queue behind it
            await("node 1's applier took W0 and W2 waits in its queue", () -> status(watch, "wsrep_received")
                    >= received + 1 && status(watch, "wsrep_local_recv_queue") >= 1);
            Future<?> commit = committer.submit(() -> {
                try (Statement s = local.createStatement()) {
                    s.execute(ROW);
                    local.commit(); // waits for certification behind W2, then fails
                } catch (SQLException e) {
                    local.rollback();
                    if (e.getErrorCode() != 1213) {
                        throw e;
                    }
                }
                return null;
            });
            await("node 1's commit waits for certification", () -> waitsForCertification(watch, localId));
            try (Statement s = locker.createStatement()) {
                s.execute("UNLOCK TABLES");
            }
            commit.get(STEP.toSeconds(), TimeUnit.SECONDS);
        } finally {
            try (Statement s = locker.createStatement()) {
                s.execute("UNLOCK TABLES"); // again on the error path; harmless when already released
            }
        }
    }

    private void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(STEP).pollInterval(Duration.ofMillis(20)).pollInSameThread()
                .until(() -> stop.get() || condition.call());
        if (stop.get()) {
            throw new IllegalStateException("stopped");
        }
    }

    private static boolean waitsForCertification(Connection watch, long id) throws SQLException {
        try (PreparedStatement ps = watch.prepareStatement(
                "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null && rs.getString(1).contains("certification");
            }
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long status(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            return rs.next() ? Long.parseLong(rs.getString(2).trim()) : -1;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, "opsdoc-lab-galera-cert-" + name);
        t.setDaemon(true);
        return t;
    }

    /** Stops the rounds; the round in progress releases its table lock as its connections close. */
    @Override
    public void close() {
        stop.set(true);
        if (loop != null) {
            try {
                loop.join(STEP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        committer.shutdownNow();
        lab.awaitNode(1, "an empty receive queue", s -> "0".equals(s.get("wsrep_local_recv_queue")),
                Duration.ofSeconds(30));
        log.debug("{} certification conflict rounds", rounds.get());
    }
}
