package io.opsdoc.lab.mysql;

import io.opsdoc.lab.Ports;
import io.opsdoc.lab.SilentTcpServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("lab")
class MariaDbReplicationLabTest {

    private static MariaDbReplicationLab lab;
    private static int nextProbeId = 50_000;

    @BeforeAll
    static void startSharedLab() {
        long started = System.nanoTime();
        lab = MariaDbReplicationLab.shared();
        report("shared()", started);
    }

    @BeforeEach
    void healLeftovers() {
        long started = System.nanoTime();
        lab.heal();
        report("heal()", started);
    }

    @Test
    void startsReplicatingAndHealthy() throws SQLException {
        assertHealthy(lab.replicaStatus());
        assertThat(lab.host()).isEqualTo("127.0.0.1");
        assertThat(lab.replicaUri()).isEqualTo("mysql://monitor@127.0.0.1:" + lab.replicaPort());
        assertThat(lab.primaryUri()).isEqualTo("mysql://monitor@127.0.0.1:" + lab.primaryPort());
        assertThat(lab.primaryPort()).isNotEqualTo(lab.replicaPort());
        try (Connection replica = lab.adminConnection(true)) {
            assertThat(count(replica, "SELECT COUNT(*) FROM labdb.t WHERE id <= 5")).isEqualTo(5);
        }
    }

    @Test
    void stopSqlThread() {
        inject("stopSqlThread", lab::stopSqlThread);
        Map<String, String> status = lab.replicaStatus();
        assertThat(status).containsEntry("Slave_SQL_Running", "No")
                .containsEntry("Slave_IO_Running", "Yes")
                .containsEntry("Last_SQL_Errno", "0");
        healAndAssertReplicating();
    }

    @Test
    void stopIoThread() {
        inject("stopIoThread", lab::stopIoThread);
        assertThat(lab.replicaStatus()).containsEntry("Slave_IO_Running", "No")
                .containsEntry("Slave_SQL_Running", "Yes");
        healAndAssertReplicating();
    }

    @Test
    void duplicateKeyConflict() {
        inject("duplicateKeyConflict", () -> ApplierFaults.duplicateKeyConflict(lab));
        Map<String, String> status = lab.replicaStatus();
        assertThat(status).containsEntry("Slave_SQL_Running", "No").containsEntry("Last_SQL_Errno", "1062");
        assertThat(status.get("Last_SQL_Error")).contains("Duplicate entry");
        healAndAssertReplicating();
    }

    @Test
    void missingRowConflict() {
        inject("missingRowConflict", () -> ApplierFaults.missingRowConflict(lab));
        assertThat(lab.replicaStatus()).containsEntry("Slave_SQL_Running", "No")
                .containsEntry("Last_SQL_Errno", "1032");
        healAndAssertReplicating();
    }

    @Test
    void conflictsCanRepeat() {
        ApplierFaults.duplicateKeyConflict(lab);
        lab.heal();
        ApplierFaults.duplicateKeyConflict(lab);
        lab.heal();
        ApplierFaults.missingRowConflict(lab);
        lab.heal();
        ApplierFaults.missingRowConflict(lab);
        healAndAssertReplicating();
    }

    @Test
    void wrongReplicationPassword() {
        inject("wrongReplicationPassword", lab::wrongReplicationPassword);
        Map<String, String> status = lab.replicaStatus();
        assertThat(status).containsEntry("Slave_IO_Running", "Connecting").containsEntry("Last_IO_Errno", "1045");
        assertThat(status.get("Last_IO_Error")).contains("Access denied");
        healAndAssertReplicating();
    }

    @Test
    void sourceUnreachable() {
        inject("sourceUnreachable", lab::sourceUnreachable);
        Map<String, String> status = lab.replicaStatus();
        assertThat(status).containsEntry("Slave_IO_Running", "Connecting").containsEntry("Last_IO_Errno", "2003")
                .containsEntry("Master_Port", Integer.toString(Ports.closedPort()));
        healAndAssertReplicating();
    }

    @Test
    void configuredDelay() {
        inject("configuredDelay(3600)", () -> lab.configuredDelay(3600));
        Map<String, String> status = lab.replicaStatus();
        assertThat(status).containsEntry("SQL_Delay", "3600")
                .containsEntry("Slave_IO_Running", "Yes")
                .containsEntry("Slave_SQL_Running", "Yes")
                .containsEntry("Last_IO_Errno", "0")
                .containsEntry("Last_SQL_Errno", "0")
                .containsEntry("Seconds_Behind_Master", "0")
                .containsEntry("Exec_Master_Log_Pos", status.get("Read_Master_Log_Pos"));
        // stays that way: nothing the delay holds back (see configuredDelay's javadoc)
        Awaitility.await("Seconds_Behind_Master stays 0 under SQL_Delay 3600").during(Duration.ofMillis(1_500))
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    Map<String, String> now = lab.replicaStatus();
                    return "0".equals(now.get("Seconds_Behind_Master")) && "3600".equals(now.get("SQL_Delay"));
                });
        healAndAssertReplicating();
        assertThat(lab.replicaStatus()).containsEntry("SQL_Delay", "0").containsEntry("Using_Gtid", "Slave_Pos");
    }

    @Test
    void positionBasedReplication() {
        inject("positionBasedReplication", lab::positionBasedReplication);
        assertThat(lab.replicaStatus()).containsEntry("Using_Gtid", "No").containsEntry("SQL_Delay", "0")
                .containsEntry("Slave_IO_Running", "Yes").containsEntry("Slave_SQL_Running", "Yes");
        healAndAssertReplicating();
        assertThat(lab.replicaStatus()).containsEntry("Using_Gtid", "Slave_Pos");
    }

    @Test
    void holdApplierBehind() {
        long started = System.nanoTime();
        ApplierFaults.AppliedLag lag = ApplierFaults.holdApplierBehind(lab, Duration.ofSeconds(120));
        report("holdApplierBehind(120s)", started);
        try {
            Map<String, String> status = lab.replicaStatus();
            assertThat(Long.parseLong(status.get("Seconds_Behind_Master"))).isBetween(115L, 140L);
            assertThat(status).containsEntry("Slave_IO_Running", "Yes")
                    .containsEntry("Slave_SQL_Running", "Yes")
                    .containsEntry("Last_SQL_Errno", "0")
                    .containsEntry("Relay_Master_Log_File", status.get("Master_Log_File"));
            assertThat(Long.parseLong(status.get("Read_Master_Log_Pos")))
                    .isGreaterThan(Long.parseLong(status.get("Exec_Master_Log_Pos")));
        } finally {
            lag.close();
        }
        lag.close(); // idempotent
        // closing the lag alone lets the applier catch up, no heal needed
        awaitTrue("applier caught up after AppliedLag.close()", () -> {
            Map<String, String> status = lab.replicaStatus();
            return "0".equals(status.get("Seconds_Behind_Master"))
                    && status.get("Read_Master_Log_Pos").equals(status.get("Exec_Master_Log_Pos"));
        });
        healAndAssertReplicating();
    }

    @Test
    void healReleasesAHeldApplier() {
        ApplierFaults.holdApplierBehind(lab, Duration.ofSeconds(30));
        healAndAssertReplicating();
    }

    @Test
    void replicaWritable() throws SQLException {
        inject("replicaWritable", lab::replicaWritable);
        try (Connection replica = lab.adminConnection(true)) {
            assertThat(count(replica, "SELECT @@GLOBAL.read_only")).isZero();
        }
        healAndAssertReplicating();
    }

    @Test
    void detachReplica() {
        inject("detachReplica", lab::detachReplica);
        assertThat(lab.replicaStatus()).isEmpty();
        healAndAssertReplicating();
    }

    @Test
    void healIsIdempotent() {
        lab.heal();
        lab.heal();
        assertHealthy(lab.replicaStatus());
    }

    @Test
    void monitorUserCanReadReplicaStatusButNotWrite() throws SQLException {
        try (Connection monitor = Jdbc.connect(lab.host(), lab.replicaPort(), lab.monitorUser(), lab.monitorPassword());
                Statement statement = monitor.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("Slave_IO_Running")).isEqualTo("Yes");
            }
            assertThat(grants(statement)).containsExactly("GRANT SLAVE MONITOR ON *.* TO `monitor`@`127.0.0.1`");
            // on the read_only replica an INSERT would fail with 1290 before any privilege check, so prove
            // the missing data privileges with a SELECT here and an INSERT on the writable primary
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM labdb.t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));
        }
        try (Connection monitor = Jdbc.connect(lab.host(), lab.primaryPort(), lab.monitorUser(), lab.monitorPassword());
                Statement statement = monitor.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO labdb.t (id, v) VALUES (99999, 0)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));
        }
    }

    @Test
    void monitorUserOnThePrimarySeesNoReplicaStatus() throws SQLException {
        try (Connection monitor = Jdbc.connect(lab.host(), lab.primaryPort(), lab.monitorUser(), lab.monitorPassword());
                Statement statement = monitor.createStatement();
                ResultSet rs = statement.executeQuery("SHOW SLAVE STATUS")) {
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void noPrivilegeUserIsDeniedReplicaStatus() throws SQLException {
        try (Connection none = Jdbc.connect(lab.host(), lab.replicaPort(), lab.noPrivilegeUser(),
                lab.noPrivilegePassword()); Statement statement = none.createStatement()) {
            assertThat(grants(statement)).containsExactly("GRANT USAGE ON *.* TO `noprivs`@`127.0.0.1`");
            assertThatThrownBy(() -> statement.executeQuery("SHOW SLAVE STATUS"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1227));
        }
    }

    @Test
    void adminUserExistsOnBothServers() throws SQLException {
        for (boolean replica : new boolean[] {true, false}) {
            try (Connection admin = lab.adminConnection(replica)) {
                assertThat(count(admin, "SELECT COUNT(*) FROM mysql.user WHERE user = '" + lab.adminUser()
                        + "' AND host IN ('127.0.0.1', 'localhost')")).isEqualTo(2);
                assertThat(count(admin, "SELECT COUNT(*) FROM mysql.user WHERE user = ''")).isZero();
            }
        }
    }

    @Test
    void silentTcpServerAcceptsAndNeverAnswers() throws IOException {
        try (SilentTcpServer server = SilentTcpServer.start(); Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            awaitTrue("connection accepted", () -> server.acceptedConnections() == 1);
        }
    }

    @Test
    void closedPortRefusesConnections() {
        int port = Ports.closedPort();
        assertThat(Ports.closedPort()).isEqualTo(port);
        assertThatThrownBy(() -> {
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void privateLabKeepsACallersWorkDirAndStopsItsServers(@TempDir Path workDir) throws IOException {
        long started = System.nanoTime();
        int primaryPort;
        try (MariaDbReplicationLab own = MariaDbReplicationLab.start(workDir)) {
            report("start(workDir)", started);
            assertHealthy(own.replicaStatus(), own.primaryPort());
            primaryPort = own.primaryPort();
            assertThat(primaryPort).isNotEqualTo(lab.primaryPort());
            started = System.nanoTime();
        }
        report("close()", started);
        assertThat(Files.isDirectory(workDir.resolve("primary").resolve("data"))).isTrue();
        assertThatThrownBy(() -> {
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", primaryPort), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    // ---------------------------------------------------------------------------------------------

    private static void inject(String name, Runnable injector) {
        long started = System.nanoTime();
        injector.run();
        report(name, started);
    }

    private static void report(String what, long startedNanos) {
        System.out.printf("TIMING %-28s %6d ms%n", what, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    /** heal(), then the raw healthy fields, then a fresh primary write must reach the replica. */
    private static void healAndAssertReplicating() {
        long started = System.nanoTime();
        lab.heal();
        report("heal() after fault", started);
        assertHealthy(lab.replicaStatus());
        int probeId = nextProbeId++;
        try (Connection primary = lab.adminConnection(false); Statement statement = primary.createStatement()) {
            statement.executeUpdate("INSERT INTO labdb.t (id, v) VALUES (" + probeId + ", 7)");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        awaitTrue("probe row " + probeId + " replicated", () -> {
            try (Connection replica = lab.adminConnection(true)) {
                return count(replica, "SELECT COUNT(*) FROM labdb.t WHERE id = " + probeId) == 1;
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
        try (Connection replica = lab.adminConnection(true)) {
            assertThat(count(replica, "SELECT @@GLOBAL.read_only")).isEqualTo(1);
            // the replica's copy of the lab table agrees with the primary's
            try (Connection primary = lab.adminConnection(false)) {
                String checksum = "SELECT COALESCE(SUM(id * 31 + v), 0) + COUNT(*) FROM labdb.t";
                assertThat(count(replica, checksum)).isEqualTo(count(primary, checksum));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertHealthy(Map<String, String> status) {
        assertHealthy(status, lab.primaryPort());
    }

    private static void assertHealthy(Map<String, String> status, int primaryPort) {
        assertThat(status).containsEntry("Slave_IO_Running", "Yes")
                .containsEntry("Slave_SQL_Running", "Yes")
                .containsEntry("Seconds_Behind_Master", "0")
                .containsEntry("Last_IO_Errno", "0")
                .containsEntry("Last_SQL_Errno", "0")
                .containsEntry("Master_Host", "127.0.0.1")
                .containsEntry("Master_Port", Integer.toString(primaryPort))
                .containsEntry("Relay_Master_Log_File", status.get("Master_Log_File"))
                .containsEntry("Exec_Master_Log_Pos", status.get("Read_Master_Log_Pos"));
    }

    private static List<String> grants(Statement statement) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                grants.add(rs.getString(1).replaceAll(" IDENTIFIED BY PASSWORD '[^']*'", ""));
            }
        }
        return grants;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }
}
