package io.opsdoc.lab.mysql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * MHA 0.58 (Debian mha4mysql-manager) pointed at the lab's primary and replica, for mysql-failover-readiness's MHA
 * part: an application file under the lab's work dir, and a masterha_manager that was started and then killed.
 *
 * <p>MHA 0.58 cannot monitor this pair, so there is no healthy manager here: on Debian 12's Perl 5.36 its
 * {@code parse_mysql_major_version} dies with "Redundant argument in sprintf" on any x.y.z server version (NodeUtil.pm
 * line 201, reached by every replication check with a live replica), and past that it reads
 * {@code @@global.super_read_only}, which MariaDB does not have. Both happen at the manager's start-up check, so the
 * manager exits by itself within seconds; killing it first makes the fault independent of that.
 */
public final class MhaFaults {
    static final String MANAGER = "/usr/bin/masterha_manager";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private MhaFaults() {
    }

    /** Null when the MHA tools are installed, else which Debian package is missing. */
    static String unavailable() {
        return Files.isExecutable(Path.of(MANAGER)) ? null
                : MANAGER + " is not installed (Debian packages mha4mysql-manager and mha4mysql-node; "
                        + ".ci/install-peers installs them)";
    }

    /**
     * The application file {@code app1.cnf} for the lab pair (written on first use, mode 0600: it holds the admin
     * password, as a real one holds MHA's). Returns its absolute path, the check's {@code mha-conf}.
     */
    public static synchronized String conf(MariaDbReplicationLab lab) {
        String missing = unavailable();
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        Path dir = lab.workDir().resolve("mha");
        Path conf = dir.resolve("app1.cnf");
        try {
            if (!Files.exists(conf)) {
                Files.createDirectories(dir.resolve("work"));
                Files.createDirectories(dir.resolve("remote"));
                Path tmp = Files.createFile(dir.resolve("app1.cnf.tmp"),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, String.join("\n",
                        "[server default]",
                        "user=" + lab.adminUser(),
                        "password=" + lab.adminPassword(),
                        "repl_user=" + lab.adminUser(),
                        "repl_password=" + lab.adminPassword(),
                        "ssh_user=root",
                        "manager_workdir=" + dir.resolve("work"),
                        "manager_log=" + dir.resolve("work").resolve("manager.log"),
                        "remote_workdir=" + dir.resolve("remote"),
                        "ping_interval=1",
                        "",
                        "[server1]",
                        "hostname=" + lab.host(),
                        "port=" + lab.primaryPort(),
                        "",
                        "[server2]",
                        "hostname=" + lab.host(),
                        "port=" + lab.replicaPort(),
                        "candidate_master=1",
                        ""));
                Files.move(tmp, conf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab's MHA configuration", e);
        }
        return conf.toString();
    }

    /**
     * masterha_manager started for the lab pair, then killed with its children once it has written its status file
     * (or has exited on its own): what an operator finds after a crash or an OOM kill of the manager. Nothing to heal:
     * no manager runs afterwards.
     */
    public static void managerKilled(MariaDbReplicationLab lab) {
        String conf = conf(lab);
        Path dir = Path.of(conf).getParent();
        Path status = dir.resolve("work").resolve("app1.master_status.health");
        Process manager;
        try {
            manager = new ProcessBuilder(MANAGER, "--conf=" + conf)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("manager.out").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + MANAGER, e);
        }
        try {
            Awaitility.await("masterha_manager writes " + status + " or exits").atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(status) || !manager.isAlive());
        } finally {
            manager.descendants().forEach(ProcessHandle::destroyForcibly);
            manager.destroyForcibly();
            try {
                if (!manager.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("masterha_manager (pid " + manager.pid() + ") did not end");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
