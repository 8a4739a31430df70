package io.opsdoc.lab.galera;

import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import io.opsdoc.lab.support.Passwords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real 3-node MariaDB Galera cluster on loopback (Debian mariadb-server + galera-4), and the faults an operator
 * meets: a node killed (the cluster shrinks), two nodes killed (the survivor loses quorum: non-Primary, queries
 * refused with 1047), a node desynchronised. heal() restarts what was killed, bootstrapping the survivor first when
 * quorum is gone, and waits for three Synced nodes.
 */
public final class GaleraLab implements Lab {
    private static final Logger log = LoggerFactory.getLogger(GaleraLab.class);
    static final String HOST = "127.0.0.1";
    static final String ADMIN = "labadmin";
    static final String MONITOR = "monitor";
    private static final int NODES = 3;
    private static final Duration FORM_DEADLINE = Duration.ofSeconds(90);
    private static final Duration FAULT_DEADLINE = Duration.ofSeconds(30);

    private static GaleraLab shared;

    private final Path dir;
    private final List<GaleraNode> nodes = new ArrayList<>();
    private final String adminPassword = Passwords.random();
    private final String monitorPassword = Passwords.random();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Integer> desynced = new ArrayList<>();
    /** Client loads and settings of the windowed faults (GaleraFaults), undone by heal() if still open. */
    private boolean split;
    private final List<AutoCloseable> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    private GaleraLab(Path dir) {
        this.dir = dir;
    }

    /** Null when the cluster can run here, else which Debian package is missing. */
    public static String unavailable() {
        if (ExternalBinary.find(GaleraNode.MARIADBD.toString()).isEmpty()
                || ExternalBinary.find(GaleraNode.INSTALL_DB.toString()).isEmpty()) {
            return ExternalBinary.missing("mariadb-server", "mariadbd");
        }
        if (!Files.exists(GaleraNode.PROVIDER)) {
            return ExternalBinary.missing("galera-4", GaleraNode.PROVIDER.toString());
        }
        if (ExternalBinary.find("/usr/bin/rsync").isEmpty()) {
            return ExternalBinary.missing("rsync", "rsync (Galera's state transfer)");
        }
        return null;
    }

    public static GaleraLab start() {
        long t0 = System.nanoTime();
        GaleraLab lab = new GaleraLab(LabFiles.tempDir("opsdoc-galera-"));
        try {
            lab.boot();
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        log.info("Galera lab up in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, lab.where());
        return lab;
    }

    public static synchronized GaleraLab shared() {
        if (shared == null || shared.closed.get()) {
            GaleraLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-lab-galera-shutdown"));
            shared = lab;
        }
        return shared;
    }

    private void boot() {
        int[] ports = Ports.freePorts(4 * NODES);
        List<Integer> gcomm = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            gcomm.add(ports[NODES + i]);
        }
        Path initFile = dir.resolve("lab-users.sql");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(initFile, initSql());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        for (int i = 1; i <= NODES; i++) {
            GaleraNode node = new GaleraNode(i, dir, ports[i - 1]);
            node.install(gcomm, ports[2 * NODES + i - 1], ports[3 * NODES + i - 1], initFile);
            nodes.add(node);
        }
        // mariadbd drops to user mysql: it must own its data, and rsync SST fails as root
        GaleraNode.run(List.of("chown", "-R", "mysql:mysql", dir.toString()), "chown");
        try {
            Files.setPosixFilePermissions(initFile, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot protect " + initFile, e);
        }
        nodes.get(0).start(true);
        awaitNode(1, "Synced", s -> "Synced".equals(s.get("wsrep_local_state_comment")), FORM_DEADLINE);
        for (int i = 1; i < NODES; i++) {
            nodes.get(i).start(false);
        }
        awaitFormed();
    }

    /**
     * For --init-file, run at every start of every node with full privileges. wsrep_on=0 keeps the statements local:
     * each node creates the same users itself (a joiner's state transfer brings them too).
     */
    private String initSql() {
        return String.join("\n",
                "SET SESSION wsrep_on = 0;",
                "SET SESSION sql_log_bin = 0;",
                "CREATE USER IF NOT EXISTS '" + ADMIN + "'@'" + HOST + "' IDENTIFIED BY '" + adminPassword + "';",
                "GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN + "'@'" + HOST + "' WITH GRANT OPTION;",
                // mysql-galera needs no privilege: SHOW GLOBAL STATUS/VARIABLES
                "CREATE USER IF NOT EXISTS '" + MONITOR + "'@'" + HOST + "' IDENTIFIED BY '" + monitorPassword + "';",
                "");
    }

    @Override
    public String where() {
        StringBuilder b = new StringBuilder("Galera");
        for (GaleraNode n : nodes) {
            b.append(" node").append(n.index()).append(' ').append(HOST).append(':').append(n.sqlPort());
        }
        return b.toString();
    }

    /** mysql://monitor@127.0.0.1:PORT of node {@code index} (1-3). */
    public String nodeUri(int index) {
        return "mysql://" + MONITOR + "@" + HOST + ":" + nodes.get(index - 1).sqlPort();
    }

    public String monitorPassword() {
        return monitorPassword;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Faults

    /** SIGKILL node {@code index}; returns once node 1 sees the cluster without it. */
    public synchronized void killNode(int index) {
        int before = running();
        nodes.get(index - 1).kill();
        int expected = before - 1;
        awaitNode(1, "wsrep_cluster_size=" + expected, s -> String.valueOf(expected).equals(s.get("wsrep_cluster_size")),
                FAULT_DEADLINE);
    }

    /** SIGKILL nodes 2 and 3: node 1 alone is a minority, non-Primary, and refuses queries with 1047. */
    public synchronized void killTwoNodes() {
        nodes.get(1).kill();
        nodes.get(2).kill();
        awaitNode(1, "wsrep_cluster_status=non-Primary", s -> "non-Primary".equals(s.get("wsrep_cluster_status")),
                FAULT_DEADLINE);
    }

    /** SET GLOBAL wsrep_desync=ON on node {@code index}: it leaves flow control, state Donor/Desynced. */
    public synchronized void desync(int index) {
        execute(index, "SET GLOBAL wsrep_desync = ON");
        desynced.add(index);
        awaitNode(index, "Donor/Desynced", s -> "2".equals(s.get("wsrep_local_state")), FAULT_DEADLINE);
    }

    /**
     * Split brain: node 3 leaves cleanly, then is bootstrapped as a new cluster on a group-communication port the others
     * do not know (an isolated node bootstrapped by an operator). Nodes 1+2 and node 3 are then two Primary components
     * that both accept writes. heal() stops node 3, drops its grastate.dat and lets it rejoin by SST.
     */
    public synchronized void splitBrain() {
        GaleraNode third = nodes.get(2);
        third.stop();
        awaitNode(1, "wsrep_cluster_size=2", s -> "2".equals(s.get("wsrep_cluster_size")), FAULT_DEADLINE);
        third.markSafeToBootstrap();
        split = true;
        third.startIsolatedBootstrap(Ports.freePorts(1)[0]);
        awaitNode(3, "Synced, alone in a Primary component", s -> "Primary".equals(s.get("wsrep_cluster_status"))
                && "1".equals(s.get("wsrep_cluster_size")) && "Synced".equals(s.get("wsrep_local_state_comment")),
                FORM_DEADLINE);
    }

    /** host:port of every node but {@code index}, for mysql-galera's peers parameter. */
    public String peersOf(int index) {
        StringBuilder b = new StringBuilder();
        for (GaleraNode n : nodes) {
            if (n.index() != index) {
                b.append(b.length() == 0 ? "" : ",").append(HOST).append(':').append(n.sqlPort());
            }
        }
        return b.toString();
    }

    /** FLUSH TABLES WITH READ LOCK on node 2 (a backup) while node 1 writes: its receive queue grows. */
    public AutoCloseable fallingBehind() throws SQLException {
        return hold(GaleraFaults.fallingBehind(this));
    }

    /** LOCK TABLES on node 2 blocks its applier with gcs.fc_limit=1: node 2 pauses the cluster (flow control). */
    public AutoCloseable flowControlPaused() throws SQLException {
        return hold(GaleraFaults.flowControlPaused(this));
    }

    /** LOCK TABLES on node 2 while node 1 commits a fixed backlog: a Synced node with a long receive queue. */
    public AutoCloseable recvQueueBacklog() throws SQLException {
        return hold(GaleraFaults.recvQueueBacklog(this));
    }

    /** Rounds of a local commit on node 1 ordered after a conflicting write-set from node 2 it had not applied. */
    public AutoCloseable certificationConflicts() throws SQLException {
        return hold(CertificationConflicts.start(this));
    }

    private AutoCloseable hold(AutoCloseable fault) {
        held.add(fault);
        return () -> {
            if (held.remove(fault)) {
                fault.close();
            }
        };
    }

    /**
     * Puts the cluster back to three Synced nodes: desync undone; if no running node is in a Primary component, the
     * first running one is bootstrapped (it saw the last writes: the others were killed while it kept running); if
     * none runs, node 1 starts a new cluster; then every stopped node starts and rejoins by IST.
     */
    @Override
    public synchronized void heal() {
        if (closed.get()) {
            throw new IllegalStateException("the Galera lab is closed");
        }
        for (AutoCloseable fault : held) {
            try {
                fault.close();
            } catch (Exception e) {
                log.warn("could not undo a held Galera fault", e);
            }
        }
        held.clear();
        for (int index : desynced) {
            if (nodes.get(index - 1).running()) {
                execute(index, "SET GLOBAL wsrep_desync = OFF");
            }
        }
        desynced.clear();
        if (split) {
            // the bootstrapped side's history is not the cluster's: it must come back by a full state transfer
            nodes.get(2).stop();
            nodes.get(2).forgetState();
            split = false;
        }
        GaleraNode firstRunning = nodes.stream().filter(GaleraNode::running).findFirst().orElse(null);
        if (firstRunning == null) {
            nodes.get(0).markSafeToBootstrap();
            nodes.get(0).start(true);
            awaitNode(1, "Synced", s -> "Synced".equals(s.get("wsrep_local_state_comment")), FORM_DEADLINE);
        } else if (!"Primary".equals(status(firstRunning.index()).get("wsrep_cluster_status"))) {
            execute(firstRunning.index(), "SET GLOBAL wsrep_provider_options = 'pc.bootstrap=YES'");
            awaitNode(firstRunning.index(), "Primary", s -> "Primary".equals(s.get("wsrep_cluster_status")),
                    FAULT_DEADLINE);
        }
        for (GaleraNode n : nodes) {
            if (!n.running()) {
                n.start(false);
            }
        }
        awaitFormed();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (GaleraNode n : nodes) {
            n.kill();
        }
        LabFiles.deleteRecursively(dir);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    private int running() {
        return (int) nodes.stream().filter(GaleraNode::running).count();
    }

    private void awaitFormed() {
        for (GaleraNode n : nodes) {
            awaitNode(n.index(), "Synced in a Primary component of " + NODES,
                    s -> "Synced".equals(s.get("wsrep_local_state_comment")) && "Primary".equals(s.get("wsrep_cluster_status"))
                            && String.valueOf(NODES).equals(s.get("wsrep_cluster_size")),
                    FORM_DEADLINE);
        }
    }

    void awaitNode(int index, String what, Predicate<Map<String, String>> shows, Duration deadline) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
        GaleraNode node = nodes.get(index - 1);
        try {
            Awaitility.await("node" + index + " " + what).atMost(deadline).pollInterval(Duration.ofMillis(200))
                    .pollInSameThread().until(() -> {
                        if (!node.running()) {
                            throw new IllegalStateException("node" + index + " exited: " + node.errorLog());
                        }
                        last.set(statusOrEmpty(index));
                        return shows.test(last.get());
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("node" + index + " did not show " + what + " within " + deadline.toSeconds()
                    + " s; last: " + summary(last.get()) + "\n" + node.errorLog(), e);
        }
    }

    private static String summary(Map<String, String> s) {
        return "wsrep_cluster_status=" + s.get("wsrep_cluster_status") + ", wsrep_cluster_size="
                + s.get("wsrep_cluster_size") + ", wsrep_local_state_comment=" + s.get("wsrep_local_state_comment");
    }

    /** wsrep_% status of a node, or empty while it does not accept the admin's connection yet. */
    private Map<String, String> statusOrEmpty(int index) {
        try {
            return status(index);
        } catch (IllegalStateException e) {
            return Map.of();
        }
    }

    Map<String, String> statusOf(int index) {
        return status(index);
    }

    private Map<String, String> status(int index) {
        Map<String, String> out = new HashMap<>();
        try (Connection c = admin(index); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_%'")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the status of node" + index + ": " + e.getMessage(), e);
        }
    }

    void execute(int index, String sql) {
        try (Connection c = admin(index); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on node" + index, e);
        }
    }

    Connection admin(int index) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ADMIN);
        p.setProperty("password", adminPassword);
        p.setProperty("connectTimeout", "3000");
        p.setProperty("socketTimeout", "15000");
        p.setProperty("sslMode", "DISABLED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        return DriverManager.getConnection("jdbc:mysql://" + HOST + ":" + nodes.get(index - 1).sqlPort() + "/", p);
    }
}
