package io.opsdoc.lab.galera;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One mariadbd of the lab's Galera cluster, run from Debian's mariadb-server with galera-4's provider, as user mysql
 * (rsync SST fails as root), on loopback ports. Its data directory survives a kill, so a restarted node rejoins by IST.
 */
final class GaleraNode {
    static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");

    private final int index;
    private final Path dir;
    private final int sqlPort;
    private Process process;
    private int istPort;

    GaleraNode(int index, Path dir, int sqlPort) {
        this.index = index;
        this.dir = dir;
        this.sqlPort = sqlPort;
    }

    /**
     * Writes the node's option file and creates its data directory.
     *
     * @param gcommPorts the group-communication port of every node (this one's included), in node order
     */
    void install(List<Integer> gcommPorts, int istPort, int sstPort, Path initFile) {
        StringBuilder members = new StringBuilder();
        for (int p : gcommPorts) {
            members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        int gcomm = gcommPorts.get(index - 1);
        this.istPort = istPort;
        String cnf = String.join("\n",
                "[mysqld]",
                "user=mysql",
                "datadir=" + dataDir(),
                "socket=" + dir.resolve("node" + index + ".sock"),
                "pid-file=" + dir.resolve("node" + index + ".pid"),
                "port=" + sqlPort,
                "bind-address=127.0.0.1",
                "log-error=" + dir.resolve("node" + index + ".err"),
                "skip-ssl",
                "init-file=" + initFile,
                "binlog_format=ROW",
                "default_storage_engine=InnoDB",
                "innodb_autoinc_lock_mode=2",
                "innodb_buffer_pool_size=32M",
                "innodb_log_file_size=16M",
                "wsrep_on=ON",
                // one applier thread (the default, said explicitly): the flow-control and certification faults block it
                "wsrep_slave_threads=1",
                "wsrep_provider=" + PROVIDER,
                "wsrep_cluster_name=opsdoc-lab",
                "wsrep_cluster_address=gcomm://" + members,
                "wsrep_node_name=node" + index,
                "wsrep_node_address=127.0.0.1:" + gcomm,
                // short failure detection: a killed node leaves the view in ~4 s instead of ~15 s
                "wsrep_provider_options=\"gmcast.listen_addr=tcp://127.0.0.1:" + gcomm + ";ist.recv_addr=127.0.0.1:"
                        + istPort + ";evs.inactive_timeout=PT6S;evs.suspect_timeout=PT3S\"",
                "wsrep_sst_receive_address=127.0.0.1:" + sstPort,
                "wsrep_sst_method=rsync",
                "");
        try {
            Files.writeString(cnf(), cnf);
            run(List.of(INSTALL_DB.toString(), "--defaults-file=" + cnf(), "--auth-root-authentication-method=normal",
                    "--skip-test-db"), "mariadb-install-db");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install Galera node " + index, e);
        }
    }

    /** Starts mariadbd; {@code bootstrap} forms a new cluster (--wsrep-new-cluster) instead of joining one. */
    void start(boolean bootstrap) {
        List<String> cmd = new ArrayList<>(List.of(MARIADBD.toString(), "--defaults-file=" + cnf()));
        if (bootstrap) {
            cmd.add("--wsrep-new-cluster");
        }
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("node" + index + ".out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Galera node " + index, e);
        }
    }

    /**
     * Starts mariadbd as the first node of a new cluster (--wsrep-new-cluster) with an empty member list and its group
     * communication on {@code gcommPort}, an address the other nodes do not know: an operator bootstrapping a node cut
     * off by a network partition. The others cannot reach it, so each side stays a Primary component of its own.
     */
    void startIsolatedBootstrap(int gcommPort) {
        List<String> cmd = List.of(MARIADBD.toString(), "--defaults-file=" + cnf(), "--wsrep-new-cluster",
                "--wsrep-cluster-address=gcomm://", "--wsrep-node-address=127.0.0.1:" + gcommPort,
                "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:" + gcommPort + ";ist.recv_addr=127.0.0.1:"
                        + istPort + ";evs.inactive_timeout=PT6S;evs.suspect_timeout=PT3S");
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("node" + index + ".out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Galera node " + index, e);
        }
    }

    /**
     * Forgets the node's replication position (grastate.dat): after a split its history may differ from the cluster's,
     * so it must rejoin by a full state transfer (SST), not an incremental one.
     */
    void forgetState() {
        try {
            Files.deleteIfExists(dataDir().resolve("grastate.dat"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete grastate.dat of node " + index, e);
        }
    }

    /** SIGKILL, as a crash or an OOM kill would end it; its SST helpers (rsync) go with it. */
    void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** SIGTERM and wait (a clean leave), then SIGKILL whatever is left. */
    void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        process = null;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    int index() {
        return index;
    }

    int sqlPort() {
        return sqlPort;
    }

    /** The end of the node's error log, for failure messages. */
    String errorLog() {
        try {
            String s = Files.readString(dir.resolve("node" + index + ".err"));
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no error log)";
        }
    }

    /** After a full stop the last node to leave must be marked safe to bootstrap (grastate.dat). */
    void markSafeToBootstrap() {
        Path state = dataDir().resolve("grastate.dat");
        try {
            if (Files.exists(state)) {
                Files.writeString(state, Files.readString(state).replace("safe_to_bootstrap: 0", "safe_to_bootstrap: 1"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + state, e);
        }
    }

    private Path dataDir() {
        return dir.resolve("data" + index);
    }

    private Path cnf() {
        return dir.resolve("node" + index + ".cnf");
    }

    static void run(List<String> cmd, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
    }
}
