package io.opsdoc.lab.mysql;

import io.opsdoc.lab.Ports;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second replica of the lab's primary for mysql-failover-readiness, started only when the first failover scenario
 * asks for it (the other scenarios neither need it nor should count its connection on the primary). It runs with
 * MariaDB's default log_slave_updates=OFF, as a reporting replica set up with defaults does: its binlog holds none of
 * what it replicates, so it could not serve the first replica after a promotion.
 */
final class SecondReplica {
    private static final Logger log = LoggerFactory.getLogger(SecondReplica.class);
    private static final int SERVER_ID = 3;
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final LabMariaDb server;
    private final LabUsers users;
    private final int primaryPort;

    private SecondReplica(LabMariaDb server, LabUsers users, int primaryPort) {
        this.server = server;
        this.users = users;
        this.primaryPort = primaryPort;
    }

    /** Installs and starts the server from the lab's unpacked binaries and lets it catch up from the first binlog. */
    static SecondReplica start(Path workDir, LabUsers users, int primaryPort) {
        long t0 = System.nanoTime();
        int port = Ports.freePorts(1)[0];
        LabMariaDb server = LabMariaDb.install("replica2", workDir.resolve("mariadb"), workDir.resolve("replica2"), port,
                SERVER_ID, workDir.resolve("lab-users.sql"), false, List.of("--read-only=ON"));
        SecondReplica r = new SecondReplica(server, users, primaryPort);
        try {
            server.start();
            r.heal();
        } catch (RuntimeException e) {
            r.stop();
            throw e;
        }
        log.info("second replica up in {} ms on 127.0.0.1:{}", (System.nanoTime() - t0) / 1_000_000, port);
        return r;
    }

    int port() {
        return server.port();
    }

    Connection admin() throws SQLException {
        return Jdbc.connect(LabUsers.HOST, server.port(), LabUsers.ADMIN, users.adminPassword());
    }

    /** Replicating from the primary by GTID, both threads running, caught up; rebuilt only when it is not. */
    void heal() {
        try (Connection replica = admin(); Connection primary = Jdbc.connect(LabUsers.HOST, primaryPort, LabUsers.ADMIN,
                users.adminPassword())) {
            Map<String, String> status = ReplicaStatus.read(replica);
            if (!(ReplicaStatus.is(status, "Master_Port", Integer.toString(primaryPort))
                    && ReplicaStatus.is(status, "Slave_IO_Running", "Yes")
                    && ReplicaStatus.is(status, "Slave_SQL_Running", "Yes"))) {
                if (!status.isEmpty()) {
                    Jdbc.execute(replica, "STOP SLAVE");
                }
                // an empty gtid_slave_pos starts from the primary's first binlog, which the lab never purges
                Jdbc.execute(replica, "RESET SLAVE ALL",
                        "CHANGE MASTER TO MASTER_HOST = '" + LabUsers.HOST + "', MASTER_PORT = " + primaryPort
                                + ", MASTER_USER = '" + LabUsers.REPLICATION + "', MASTER_PASSWORD = '"
                                + users.replicationPassword() + "', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1"
                                + ", MASTER_SSL = 0",
                        "START SLAVE");
            }
            ReplicaStatus.awaitCaughtUp(replica, primary, CATCH_UP);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot heal the second replica", e);
        }
    }

    void stop() {
        try {
            server.stop();
        } catch (RuntimeException e) {
            log.warn("could not stop the second replica", e);
        }
    }
}
