package io.opsdoc.lab.mysql;

import static io.opsdoc.lab.mysql.ReplicaStatus.is;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB primary and replica on loopback, replicating with GTID, plus named fault injectors.
 *
 * <p>Every injector leaves its fault in place and returns only once the replica shows it in
 * {@code SHOW SLAVE STATUS}; {@link #heal()} undoes any of them. The lab knows nothing about the checks
 * that are run against it. The servers themselves are {@link LabServers}; the states waited for,
 * {@link ReplicaStatus}; the faults made through the lab table's rows, {@link ApplierFaults}.
 */
public final class MariaDbReplicationLab implements Lab {

    private static final Logger log = LoggerFactory.getLogger(MariaDbReplicationLab.class);

    private static final String HOST = LabUsers.HOST;
    private static final String LAB_TABLE = LabServers.TABLE;
    /** {@link ApplierFaults#duplicateKeyConflict} takes fresh ids from here, far above the seed rows. */
    private static final int FIRST_CONFLICT_ID = 1_000;

    private static final Duration FAULT_DEADLINE = Duration.ofSeconds(20);
    private static final Duration HEAL_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(60);

    private static MariaDbReplicationLab shared;

    private final Path workDir;
    private final boolean ownsWorkDir;
    private final int primaryPort;
    private final int replicaPort;
    private final LabUsers users = LabUsers.random();
    private volatile LabServers servers;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closeFinished = new CountDownLatch(1);
    /** Statements that make the replica's data agree with the primary again, run by heal(). */
    private final List<String> pendingReplicaRepairs = new ArrayList<>();
    private final List<RowLockSession> heldRowLocks = new CopyOnWriteArrayList<>();
    /** Faults of the server-level scenarios (ServerFaults...) that heal() undoes if their scenario did not. */
    private final List<AutoCloseable> heldFaults = new CopyOnWriteArrayList<>();
    private int nextConflictId = FIRST_CONFLICT_ID;
    /** Started by the first failover scenario only ({@link FailoverFaults}); healed and stopped with the lab. */
    private volatile SecondReplica secondReplica;
    /** ssh:// to this machine for mysql-backup-freshness's remote scenarios, started on first use. */
    private volatile io.opsdoc.lab.host.LabSshAccess ssh;

    private MariaDbReplicationLab(Path workDir, boolean ownsWorkDir) {
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
        int[] ports = Ports.freePorts(2);
        this.primaryPort = ports[0];
        this.replicaPort = ports[1];
    }

    /** Starts a primary and a replica, replicating and healthy, with all files under {@code workDir} (kept on close). */
    public static MariaDbReplicationLab start(Path workDir) {
        Objects.requireNonNull(workDir, "workDir");
        return startIn(workDir, false);
    }

    /** Like {@link #start(Path)} in a fresh directory under java.io.tmpdir, deleted on close. */
    public static MariaDbReplicationLab start() {
        return startIn(LabFiles.tempDir("opsdoc-lab-"), true);
    }

    /**
     * One lab per JVM, started on first use and stopped by a shutdown hook. Other callers may have left a
     * fault in place: call {@link #heal()} before use.
     */
    public static synchronized MariaDbReplicationLab shared() {
        if (shared == null || shared.closed.get()) {
            MariaDbReplicationLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-lab-shared-shutdown"));
            LabServers.closeWhenOnlyProcessWatchersRemain(lab.closed::get, lab::close);
            shared = lab;
        }
        return shared;
    }

    private static MariaDbReplicationLab startIn(Path workDir, boolean ownsWorkDir) {
        long started = System.nanoTime();
        MariaDbReplicationLab lab = new MariaDbReplicationLab(workDir, ownsWorkDir);
        try {
            lab.servers = LabServers.start(workDir, lab.primaryPort, lab.replicaPort, lab.users);
            lab.heal();
        } catch (RuntimeException | Error e) {
            // never leave mariadbd processes behind a failed start
            lab.close();
            throw e;
        }
        log.info("MariaDB replication lab up in {} ms: primary 127.0.0.1:{}, replica 127.0.0.1:{}, work dir {}",
                (System.nanoTime() - started) / 1_000_000, lab.primaryPort, lab.replicaPort, workDir);
        return lab;
    }

    // ---------------------------------------------------------------------------------------------
    // Coordinates and credentials

    @Override
    public String where() {
        return "primary " + HOST + ":" + primaryPort + ", replica " + HOST + ":" + replicaPort;
    }

    public String host() {
        return HOST;
    }

    public int primaryPort() {
        return primaryPort;
    }

    public int replicaPort() {
        return replicaPort;
    }

    /** Exists on both servers for 127.0.0.1, granted only SLAVE MONITOR ON *.*. */
    public String monitorUser() {
        return LabUsers.MONITOR;
    }

    public String monitorPassword() {
        return users.monitorPassword();
    }

    /** Exists on both servers for 127.0.0.1 with no privileges at all (USAGE). */
    public String noPrivilegeUser() {
        return LabUsers.NO_PRIVILEGE;
    }

    public String noPrivilegePassword() {
        return users.noPrivilegePassword();
    }

    /** ALL PRIVILEGES WITH GRANT OPTION, on both servers, for 127.0.0.1 and localhost. */
    public String adminUser() {
        return LabUsers.ADMIN;
    }

    public String adminPassword() {
        return users.adminPassword();
    }

    public String replicaUri() {
        return "mysql://" + LabUsers.MONITOR + "@" + HOST + ":" + replicaPort;
    }

    public String primaryUri() {
        return "mysql://" + LabUsers.MONITOR + "@" + HOST + ":" + primaryPort;
    }

    /** A fresh JDBC connection as the admin user, with connect and socket timeouts; the caller closes it. */
    public Connection adminConnection(boolean replica) throws SQLException {
        return Jdbc.connect(HOST, replica ? replicaPort : primaryPort, LabUsers.ADMIN, users.adminPassword());
    }

    Path workDir() {
        return workDir;
    }

    /** ssh:// access to this machine (the backup host of the remote backup scenarios), started on first use. */
    synchronized io.opsdoc.lab.host.LabSshAccess ssh() {
        ensureOpen();
        if (ssh == null) {
            ssh = new io.opsdoc.lab.host.LabSshAccess(workDir);
        }
        return ssh;
    }

    /** The second replica of the primary, started on first use. */
    synchronized SecondReplica secondReplica() {
        ensureOpen();
        if (secondReplica == null) {
            secondReplica = SecondReplica.start(workDir, users, primaryPort);
        }
        return secondReplica;
    }

    // ---------------------------------------------------------------------------------------------
    // Fault injectors

    /** STOP SLAVE SQL_THREAD: Slave_SQL_Running=No with Last_SQL_Errno=0. */
    public synchronized void stopSqlThread() {
        onReplica("stop the SQL thread", "STOP SLAVE SQL_THREAD");
        awaitReplicaStatus("Slave_SQL_Running=No, Last_SQL_Errno=0",
                s -> is(s, "Slave_SQL_Running", "No") && is(s, "Last_SQL_Errno", "0"));
    }

    /** STOP SLAVE IO_THREAD: Slave_IO_Running=No. */
    public synchronized void stopIoThread() {
        onReplica("stop the IO thread", "STOP SLAVE IO_THREAD");
        awaitReplicaStatus("Slave_IO_Running=No", s -> is(s, "Slave_IO_Running", "No"));
    }

    /** The replica logs in with a wrong password: Slave_IO_Running=Connecting, Last_IO_Errno=1045. */
    public synchronized void wrongReplicationPassword() {
        onReplica("set a wrong replication password",
                "STOP SLAVE", "CHANGE MASTER TO MASTER_PASSWORD = 'wrong'", "START SLAVE");
        awaitReplicaStatus("Slave_IO_Running=Connecting, Last_IO_Errno=1045",
                s -> is(s, "Slave_IO_Running", "Connecting") && is(s, "Last_IO_Errno", "1045"));
    }

    /** The replica points at a loopback port nothing listens on: Connecting, Last_IO_Errno=2003. */
    public synchronized void sourceUnreachable() {
        onReplica("point the replica at a closed port",
                "STOP SLAVE", "CHANGE MASTER TO MASTER_PORT = " + Ports.closedPort(), "START SLAVE");
        awaitReplicaStatus("Slave_IO_Running=Connecting, Last_IO_Errno=2003",
                s -> is(s, "Slave_IO_Running", "Connecting") && is(s, "Last_IO_Errno", "2003"));
    }

    /**
     * MASTER_DELAY = seconds: SQL_Delay shows it, replication otherwise healthy (both threads running, no
     * errors, Seconds_Behind_Master=0, nothing unapplied).
     *
     * <p>While this fault is in place the replica replicates by binlog file and position (Using_Gtid=No).
     * With GTID, MariaDB restarts from the head of the primary's current binlog, and its Gtid_list and
     * Binlog_checkpoint events carry the file's creation time; the delay applies to them, so a lab whose
     * binlog is younger than the delay would sit on them with Seconds_Behind_Master creeping up.
     * Resuming at the applied file and position skips those events. {@link #heal()} returns to GTID.
     */
    public synchronized void configuredDelay(int seconds) {
        replicateByPosition(seconds);
    }

    /**
     * Replication by binlog file and position instead of GTID (Using_Gtid=No), otherwise healthy: how replicas set up
     * before GTID, or by old scripts, run. {@link #heal()} returns to GTID.
     */
    public synchronized void positionBasedReplication() {
        replicateByPosition(0);
    }

    private void replicateByPosition(int seconds) {
        ensureOpen();
        try (Connection onReplica = adminConnection(true)) {
            PositionReplication.switchTo(onReplica, seconds, FAULT_DEADLINE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot configure a replication delay on the replica", e);
        }
    }

    /** SET GLOBAL read_only = OFF on the replica. */
    public synchronized void replicaWritable() {
        onReplica("make the replica writable", "SET GLOBAL read_only = OFF");
        try (Connection onReplica = adminConnection(true)) {
            String readOnly = Jdbc.singleValue(onReplica, "SELECT @@GLOBAL.read_only");
            if (!"0".equals(readOnly)) {
                throw new IllegalStateException("replica still has read_only=" + readOnly);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read read_only on the replica", e);
        }
    }

    /** STOP SLAVE; RESET SLAVE ALL: the replica forgets its source and SHOW SLAVE STATUS returns no row. */
    public synchronized void detachReplica() {
        onReplica("detach the replica", "STOP SLAVE", "RESET SLAVE ALL");
        awaitReplicaStatus("no SHOW SLAVE STATUS row", Map::isEmpty);
    }

    /**
     * Undoes any fault: releases held row locks, repairs conflicting rows, rebuilds the replication
     * configuration from scratch (right port and password, no delay), sets read_only=ON, and waits until
     * the replica runs both threads without errors and has applied everything the primary has written.
     * Idempotent.
     */
    @Override
    public synchronized void heal() {
        ensureOpen();
        long started = System.nanoTime();
        releaseHeldRowLocks();
        releaseHeldFaults();
        try (Connection onReplica = adminConnection(true)) {
            if (!ReplicaStatus.read(onReplica).isEmpty()) {
                Jdbc.execute(onReplica, "STOP SLAVE");
            }
            if (!pendingReplicaRepairs.isEmpty()) {
                Jdbc.execute(onReplica, "SET SESSION sql_log_bin = 0");
                Jdbc.execute(onReplica, pendingReplicaRepairs.toArray(String[]::new));
                pendingReplicaRepairs.clear();
            }
            // with MASTER_USE_GTID=slave_pos the replica resumes after its last applied transaction,
            // so dropping every relay log and setting loses nothing
            Jdbc.execute(onReplica,
                    "RESET SLAVE ALL",
                    "CHANGE MASTER TO MASTER_HOST = '" + HOST + "', MASTER_PORT = " + primaryPort
                            + ", MASTER_USER = '" + LabUsers.REPLICATION + "', MASTER_PASSWORD = '"
                            + users.replicationPassword()
                            // MASTER_SSL=0: on 11.4 the default tries TLS against a --skip-ssl primary and
                            // loops in Connecting, after which STOP SLAVE hangs
                            + "', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1, MASTER_SSL = 0"
                            + ", MASTER_DELAY = 0",
                    "SET GLOBAL read_only = ON",
                    "START SLAVE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot heal the replica", e);
        }
        try (Connection onReplica = adminConnection(true); Connection onPrimary = adminConnection(false)) {
            ReplicaStatus.awaitCaughtUp(onReplica, onPrimary, HEAL_DEADLINE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read replication status while healing", e);
        }
        if (secondReplica != null) {
            secondReplica.heal();
        }
        log.debug("healed in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /** The single row of SHOW SLAVE STATUS on the replica, column to value, nulls kept; empty if none. */
    public Map<String, String> replicaStatus() {
        try (Connection onReplica = adminConnection(true)) {
            return ReplicaStatus.read(onReplica);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read SHOW SLAVE STATUS on the replica", e);
        }
    }

    /** Stops both servers; deletes the work dir unless the caller passed it in. Idempotent. */
    @Override
    public void close() {
        // not synchronized: a shutdown hook must never wait for a lab method stuck in another thread
        if (!closed.compareAndSet(false, true)) {
            awaitCloseByOtherThread();
            return;
        }
        try {
            releaseHeldRowLocks();
            releaseHeldFaults(); // stops their client threads; restoring settings on servers about to stop is harmless
            if (secondReplica != null) {
                secondReplica.stop();
            }
            if (ssh != null) {
                ssh.close();
            }
            if (servers != null) {
                servers.stop();
            }
            if (ownsWorkDir) {
                LabFiles.deleteRecursively(workDir);
            }
        } finally {
            closeFinished.countDown();
        }
    }

    /**
     * A second close() (say the shutdown hook, while the reaper thread is still deleting the work dir) must
     * not return early: the JVM would halt and leave a half-deleted work dir behind.
     */
    private void awaitCloseByOtherThread() {
        try {
            if (!closeFinished.await(CLOSE_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("the lab's close() in another thread did not finish within {} s", CLOSE_DEADLINE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Internals

    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the lab is closed");
        }
    }

    private void onReplica(String what, String... statements) {
        ensureOpen();
        try (Connection onReplica = adminConnection(true)) {
            Jdbc.execute(onReplica, statements);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + what + " on the replica", e);
        }
    }

    /** Polls SHOW SLAVE STATUS until {@code shows} holds, or throws with the last status after FAULT_DEADLINE. */
    Map<String, String> awaitReplicaStatus(String expectation, Predicate<Map<String, String>> shows) {
        try (Connection onReplica = adminConnection(true)) {
            return ReplicaStatus.await(onReplica, expectation, shows, FAULT_DEADLINE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the replica to wait for " + expectation, e);
        }
    }

    /** A fresh row id for a conflicting row ({@link ApplierFaults#duplicateKeyConflict}). */
    synchronized int nextConflictId() {
        return nextConflictId++;
    }

    /** Queues a statement, run on the replica without binlog, that makes its data agree with the primary's again. */
    synchronized void repairOnHeal(String statement) {
        pendingReplicaRepairs.add(statement);
    }

    /** Locks a lab table row in a replica session ({@link RowLockSession}) that heal() and close() end if nobody else did. */
    RowLockSession lockReplicaRow(int rowId) throws SQLException {
        RowLockSession lock = RowLockSession.lock(adminConnection(true), LAB_TABLE, rowId, heldRowLocks::remove);
        heldRowLocks.add(lock);
        return lock;
    }

    /** Registers a fault handle (idempotent close) that {@link #heal()} and {@link #close()} undo if nobody else did. */
    <T extends AutoCloseable> T untilHeal(T fault) {
        heldFaults.add(fault);
        return fault;
    }

    private void releaseHeldFaults() {
        for (AutoCloseable fault : heldFaults) {
            try {
                fault.close();
            } catch (Exception e) {
                log.warn("could not undo a held fault", e);
            }
        }
        heldFaults.clear();
    }

    private void releaseHeldRowLocks() {
        for (RowLockSession lock : heldRowLocks) {
            lock.close();
        }
    }
}
