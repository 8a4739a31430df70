package io.opsdoc.lab.mysql;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.host.LabSshAccess.HostKey;
import io.opsdoc.lab.scenario.Fault;
import io.opsdoc.lab.scenario.Scenario;
import java.time.Duration;
import java.util.List;

/**
 * mysql-backup-freshness against real dumps of the lab's primary ({@code mariadb-dump | gzip}) in the lab's backup
 * directory, on local: and over ssh:// (this machine's OpenSSH server, the host lab's ordinary test user in the group
 * that owns the backups). No database user: the check reads files only.
 */
final class BackupScenarios {
    private static final String CHECK = "mysql-backup-freshness";

    /** A crontab line as the old runbook taught it: -p 3306 for the port, then the password attached to -p. */
    static final String CRON_DUMP = "/usr/bin/mysqldump -h 10.0.0.100 -p 3306 -uroot -pS3cretDump --single-transaction "
            + "--databases cmdb | gzip > /data/backup/cmdb-$(date +\\%F).sql.gz";

    private BackupScenarios() {
    }

    static List<Scenario<MariaDbReplicationLab>> all() {
        return List.of(
                backup("backup-fresh", "last night's and tonight's dumps, both complete", BackupFaults::fresh)
                        .healthy().metrics("backup_age_seconds", "backup_bytes").build(),
                backup("backup-stale", "tonight's job did not run: the newest dump is 30 h old", BackupFaults::stale)
                        .expect(code("BACKUP_STALE").severity(WARNING).positive("age_seconds"))
                        .absent("BACKUP_EMPTY", "BACKUP_CORRUPT").build(),
                backup("backup-failed-dump", "tonight's mariadb-dump failed at login; gzip still wrote its file",
                        BackupFaults::failedDump)
                        .expect(code("BACKUP_EMPTY").severity(CRITICAL).evidence("uncompressed_bytes", 0))
                        .absent("BACKUP_CORRUPT", "BACKUP_STALE").build(),
                backup("backup-truncated", "tonight's dump was cut off at half its size while being copied",
                        BackupFaults::truncated)
                        .expect(code("BACKUP_CORRUPT").severity(CRITICAL).evidence("gzip_error", "unexpected end of file"))
                        .absent("BACKUP_EMPTY").build(),
                backup("backup-shrunk", "tonight's dump lacks the mysql schema that last night's had",
                        BackupFaults::shrunk)
                        .expect(code("BACKUP_SHRUNK").severity(WARNING).positive("previous_bytes"))
                        .absent("BACKUP_CORRUPT", "BACKUP_EMPTY").build(),
                backup("backup-dump-port-flag", "the nightly cron line passes the port as -p 3306, copied from the "
                        + "old runbook", BackupFaults::fresh)
                        .param("dump-command", lab -> CRON_DUMP)
                        .expect(code("DUMP_CMD_PORT_FLAG").severity(WARNING).evidence("words", "-p 3306")
                                .evidence("write_instead", "-P 3306").says("password option"))
                        .absent("BACKUP_STALE", "BACKUP_EMPTY", "BACKUP_CORRUPT").build(),
                Scenario.<MariaDbReplicationLab>of("backup-none", "the job writes elsewhere: nothing matches the glob")
                        .checks(CHECK).target(lab -> "local:").holds(Fault.of(BackupFaults::fresh))
                        .param("files", lab -> BackupFaults.dir(lab).resolve("nightly-*.sql.gz").toString())
                        .expect(code("NO_BACKUP").severity(CRITICAL)).build(),
                remote("backup-fresh-ssh", "the same two complete dumps read on the backup host over ssh:// as an "
                        + "ordinary user in the backups' group", BackupFaults::fresh)
                        .healthy().metrics("backup_age_seconds", "backup_bytes").build(),
                remote("backup-stale-ssh", "over ssh://: tonight's job did not run, the newest dump is 30 h old",
                        BackupFaults::stale)
                        .expect(code("BACKUP_STALE").severity(WARNING).positive("age_seconds").says("30 h old"))
                        .absent("BACKUP_EMPTY", "BACKUP_CORRUPT").build(),
                remote("backup-truncated-ssh", "over ssh://: tonight's dump was cut off at half its size",
                        BackupFaults::truncated)
                        .expect(code("BACKUP_CORRUPT").severity(CRITICAL).evidence("gzip_error", "unexpected end of file"))
                        .absent("BACKUP_EMPTY").build(),
                Scenario.<MariaDbReplicationLab>of("backup-unreadable-ssh", "over ssh://: tonight's dump was written "
                        + "0600 by root, so the backups' group cannot read it")
                        .checks(CHECK).target(lab -> lab.ssh().target(HostKey.KNOWN)).password(lab -> lab.ssh().passphrase())
                        .param("files", BackupFaults::files).timeout(Duration.ofSeconds(20))
                        .holds(Fault.of(lab -> {
                            BackupFaults.fresh(lab);
                            lab.ssh().shareWithTestUser(BackupFaults.dir(lab));
                            BackupFaults.hideNewest(lab);
                        }))
                        .expect(code("PERMISSION_DENIED").severity(UNKNOWN).says("labdb-2.sql.gz", "Permission denied"))
                        .build(),
                hostKey("backup-ssh-host-key-changed", "the backup host's key is not the one pinned in known_hosts",
                        HostKey.CHANGED, "SSH_HOST_KEY_CHANGED"),
                hostKey("backup-ssh-host-key-unknown", "the backup host is not in known_hosts yet", HostKey.UNKNOWN,
                        "SSH_HOST_KEY_UNKNOWN"));
    }

    /** The same files on the backup host, read over ssh:// by the test user, in the group that owns them. */
    private static Scenario.Builder<MariaDbReplicationLab> remote(String id, String story,
            Fault.ThrowingConsumer<MariaDbReplicationLab> state) {
        // the first SSH login of a JVM loads the client and does a key exchange: on a busy machine that takes seconds
        return Scenario.<MariaDbReplicationLab>of(id, story).checks(CHECK)
                .target(lab -> lab.ssh().target(HostKey.KNOWN)).password(lab -> lab.ssh().passphrase())
                .param("files", BackupFaults::files).timeout(Duration.ofSeconds(20))
                .holds(Fault.of(lab -> {
                    state.accept(lab);
                    lab.ssh().shareWithTestUser(BackupFaults.dir(lab));
                }));
    }

    private static Scenario<MariaDbReplicationLab> hostKey(String id, String story, HostKey pinned, String code) {
        return Scenario.<MariaDbReplicationLab>of(id, story).checks(CHECK)
                .target(lab -> lab.ssh().target(pinned)).password(lab -> lab.ssh().passphrase())
                .param("files", BackupFaults::files).timeout(Duration.ofSeconds(20))
                .holds(Fault.of(BackupFaults::fresh))
                .expect(code(code).severity(UNKNOWN)).build();
    }

    private static Scenario.Builder<MariaDbReplicationLab> backup(String id, String story,
            Fault.ThrowingConsumer<MariaDbReplicationLab> state) {
        return Scenario.<MariaDbReplicationLab>of(id, story).checks(CHECK).target(lab -> "local:")
                .param("files", BackupFaults::files).holds(Fault.of(state));
    }
}
