package io.opsdoc.lab.mysql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    public static String conf(MariaDbReplicationLab lab) {
        return conf(lab, "app1");
    }

    /**
     * A second application file ({@code app2.cnf}, its own work dir, for which no manager was ever started) readable by
     * the ssh lab's test user the way the grants say (group-readable), for the scenario over ssh://.
     */
    public static synchronized String sshConf(MariaDbReplicationLab lab) {
        String conf = conf(lab, "app2");
        lab.ssh().shareWithTestUser(Path.of(conf).getParent());
        return conf;
    }

    /**
     * ssh:// to this machine as the ssh lab's test user, with an unencrypted copy of its key: the check never offers
     * the database password to the manager host, so a passphrase could not be given.
     */
    public static synchronized String sshHost(MariaDbReplicationLab lab) {
        String target = lab.ssh().target(io.opsdoc.lab.host.LabSshAccess.HostKey.KNOWN);
        Matcher m = Pattern.compile("identity=([^&]+)").matcher(target);
        if (!m.find()) {
            throw new IllegalStateException("no identity in the ssh lab's target");
        }
        Path key = Path.of(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
        Path copy = lab.workDir().resolve("mha-id_ed25519");
        try {
            if (!Files.exists(copy)) {
                Files.copy(key, copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
                Process p = new ProcessBuilder("ssh-keygen", "-q", "-p", "-P", lab.ssh().passphrase(), "-N", "", "-f",
                        copy.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException("ssh-keygen could not remove the key copy's passphrase: " + out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return target.substring(0, m.start()) + "identity=" + URLEncoder.encode(copy.toString(), StandardCharsets.UTF_8)
                + target.substring(m.end());
    }

    private static synchronized String conf(MariaDbReplicationLab lab, String app) {
        String missing = unavailable();
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        Path dir = lab.workDir().resolve("mha");
        Path conf = dir.resolve(app + ".cnf");
        Path work = dir.resolve(app + "-work");
        try {
            if (!Files.exists(conf)) {
                Files.createDirectories(work);
                Files.createDirectories(dir.resolve("remote"));
                Path tmp = Files.createFile(dir.resolve(app + ".cnf.tmp"),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, String.join("\n",
                        "[server default]",
                        "user=" + lab.adminUser(),
                        "password=" + lab.adminPassword(),
                        "repl_user=" + lab.adminUser(),
                        "repl_password=" + lab.adminPassword(),
                        "ssh_user=root",
                        "manager_workdir=" + work,
                        "manager_log=" + work.resolve("manager.log"),
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
        Path status = dir.resolve("app1-work").resolve("app1.master_status.health");
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
