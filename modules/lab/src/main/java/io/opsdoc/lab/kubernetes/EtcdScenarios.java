package io.opsdoc.lab.kubernetes;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.host.LabSshAccess.HostKey;
import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * k8s-etcd against real etcd 3.4 members on loopback ({@link EtcdLab}): a 3-member cluster losing one member, then
 * two, growing to four members with one never started, its leadership moved four times, a member whose fsyncs strace
 * delays, and a single member with a 16 MiB quota that is filled until NOSPACE, or emptied and compacted but not
 * defragmented; and k8s-etcd-backup on real snapshots of that member (etcdctl snapshot save) made stale, cut off (also read over ssh:// as an ordinary user),
 * changed or deleted, and on GNU tar archives of a kubeadm-shaped /etc/kubernetes (PKI, kubeconfigs, manifests) made
 * stale, deleted, cut off or written without the private keys.
 */
public final class EtcdScenarios implements ScenarioSet<EtcdLab> {
    private static final String ETCD = "k8s-etcd";
    private static final String BACKUP = "k8s-etcd-backup";
    /** Two /metrics readings half a second apart: the window path runs, and ten scenarios do not add 20 s. */
    private static final String WINDOW = "500ms";

    @Override
    public String system() {
        return "kubernetes-etcd";
    }

    @Override
    public String description() {
        return "a 3-member etcd 3.4 cluster and a single member with a 16 MiB quota on loopback (Debian etcd-server, ~1 s)";
    }

    @Override
    public List<LabVariant<EtcdLab>> variants() {
        return List.of(new LabVariant<>("default", EtcdLab::unavailable, EtcdLab::start, EtcdLab::shared));
    }

    @Override
    public List<Scenario<EtcdLab>> scenarios() {
        return List.of(
                cluster("etcd-cluster-healthy", "three members, one leader, a nearly empty backend")
                        .healthy().metrics("etcd_members", "etcd_has_leader", "etcd_db_quota_used",
                                "etcd_leader_changes_per_15m", "etcd_wal_fsync_p99_seconds",
                                "etcd_backend_commit_p99_seconds").build(),
                Scenario.<EtcdLab>of("etcd-tls-healthy", "a member that speaks only TLS and requires a client "
                                + "certificate (kubeadm's etcd), asked over etcds:// with the CA, certificate and key")
                        .checks(ETCD).target(EtcdLab::tlsTarget).param("window", WINDOW).healthy()
                        .metrics("etcd_members", "etcd_alarms", "etcd_wal_fsync_p99_seconds").build(),
                single("etcd-single-healthy", "one member with a 16 MiB quota, nearly empty")
                        .healthy().metrics("etcd_db_size_bytes", "etcd_alarms").build(),
                cluster("etcd-even-members", "a fourth member was added (etcdctl member add) and its process never "
                        + "started: four voting members, three running. The unstarted member is also down "
                        + "(ETCD_MEMBER_DOWN, CRITICAL: 3 of 4 answer and the quorum is 3)")
                        .breaks(EtcdLab::addUnstartedMember)
                        .expect(code("ETCD_EVEN_MEMBERS").severity(WARNING).evidence("voting_members", 4)
                                .evidence("quorum", 3).evidence("failures_tolerated", 1)
                                .says("4 voting members", "never started", "odd number"))
                        .expect(code("ETCD_MEMBER_DOWN").severity(CRITICAL).says("never started"))
                        .absent("ETCD_NO_LEADER").build(),
                cluster("etcd-leader-churn", "leadership was moved to another member four times in a row "
                        + "(etcdctl move-leader): every member has seen four leader changes within a minute")
                        .breaks(EtcdLab::moveLeaderRepeatedly)
                        .expect(code("ETCD_LEADER_CHURN").severity(WARNING).evidence("leader-changes", 4)
                                .positive("leader_changes").says("leader change(s)", "per 15 minutes", "slow disks"))
                        .absent("ETCD_NO_LEADER", "ETCD_MEMBER_DOWN", "ETCD_SLOW_DISK").build(),
                cluster("etcd-member-down", "one follower of three was killed: the other two keep a leader")
                        .breaks(EtcdLab::stopOneMember)
                        .expect(code("ETCD_MEMBER_DOWN").severity(CRITICAL).evidence("answering", 2)
                                .evidence("quorum", 2).says("does not answer", "connection refused", "one more failure"))
                        .absent("ETCD_NO_LEADER", "ETCD_ALARM").build(),
                cluster("etcd-no-leader", "two of three members were killed: the survivor has no leader")
                        .breaks(EtcdLab::stopTwoMembers)
                        .expect(code("ETCD_NO_LEADER").severity(CRITICAL).evidence("answering", 1)
                                .says("no leader", "takes no writes"))
                        .expect(code("ETCD_MEMBER_DOWN").severity(CRITICAL)).build(),
                single("etcd-nospace", "a writer filled the 16 MiB backend quota: etcd raised NOSPACE")
                        .breaks(EtcdLab::fillToNospace)
                        .expect(code("ETCD_ALARM").severity(CRITICAL).evidence("alarm", "NOSPACE")
                                .evidence("quota_bytes", EtcdLab.QUOTA).evidence("quota_source", "metrics")
                                .positive("db_size_bytes")
                                .says("NOSPACE", "of quota 16.0 MiB", "1. find", "2. compact", "3. defragment",
                                        "4. only then disarm"))
                        .expect(code("ETCD_DB_NEAR_QUOTA")).build(),
                single("etcd-db-fragmented", "seven 1 MB keys were deleted and compacted, but the file never defragmented")
                        .param("fragmented-min-size", "4MiB")
                        .breaks(EtcdLab::fragment)
                        .expect(code("ETCD_DB_FRAGMENTED").severity(WARNING).says("defragment", "in use"))
                        .absent("ETCD_ALARM").build(),
                Scenario.<EtcdLab>of("etcd-slow-disk", "every fsync and fdatasync of the TLS member returns 0.7 s "
                                + "late (strace fault injection on all its threads) while keys were written to it")
                        .checks(ETCD).target(EtcdLab::tlsTarget).param("window", WINDOW)
                        .breaks(EtcdLab::slowDisk)
                        .expect(code("ETCD_SLOW_DISK").severity(WARNING).positive("wal_fsync_p99_seconds")
                                .positive("backend_commit_p99_seconds")
                                .says("WAL fsync p99", "backend commit p99", "dedicated SSD"))
                        .absent("ETCD_NO_LEADER", "ETCD_MEMBER_DOWN").build(),
                backup("etcd-backup-fresh", "last night's etcdctl snapshot save, whole, an hour old")
                        .healthy().metrics("etcd_backup_age_seconds", "etcd_backup_size_bytes").build(),
                backup("etcd-backup-stale", "the backup job stopped: the newest snapshot is 49 hours old")
                        .breaks(EtcdLab::backupStale)
                        .expect(code("ETCD_BACKUP_STALE").severity(WARNING).evidence("max-age", "26h")
                                .says("etcd-20261204-0300.db", "2d1h ago"))
                        .absent("ETCD_BACKUP_INVALID", "ETCD_BACKUP_MISSING").build(),
                backup("etcd-backup-truncated", "the newest snapshot was cut off halfway (disk full during the job)")
                        .breaks(EtcdLab::backupTruncated)
                        .expect(code("ETCD_BACKUP_INVALID").severity(CRITICAL).evidence("hash_checked", false)
                                .says("etcd-20261205-0300.db", "truncated"))
                        .absent("ETCD_BACKUP_STALE").build(),
                backup("etcd-backup-corrupt", "one byte of the newest snapshot changed after it was written")
                        .breaks(EtcdLab::backupCorrupt)
                        .expect(code("ETCD_BACKUP_INVALID").severity(CRITICAL).evidence("hash_checked", true)
                                .says("sha256 trailer does not match")).build(),
                backup("etcd-backup-none", "a cleanup job deleted every snapshot")
                        .breaks(EtcdLab::backupsGone)
                        .expect(code("ETCD_BACKUP_MISSING").severity(CRITICAL).evidence("matching", 0)).build(),
                remoteBackup("etcd-backup-fresh-ssh", "the same whole snapshot read on the backup host over ssh:// "
                        + "as an ordinary user in the snapshots' group")
                        .breaks(EtcdLab::shareBackupsOverSsh)
                        .healthy().metrics("etcd_backup_age_seconds", "etcd_backup_size_bytes").build(),
                remoteBackup("etcd-backup-stale-ssh", "over ssh://: the backup job stopped, the newest snapshot is 49 "
                        + "hours old")
                        .breaks(lab -> {
                            lab.backupStale();
                            lab.shareBackupsOverSsh();
                        })
                        .expect(code("ETCD_BACKUP_STALE").severity(WARNING).evidence("max-age", "26h")
                                .says("etcd-20261204-0300.db", "2d1h ago"))
                        .absent("ETCD_BACKUP_INVALID", "ETCD_BACKUP_MISSING").build(),
                remoteBackup("etcd-backup-corrupt-ssh", "over ssh://: one byte of the newest snapshot changed after it "
                        + "was written (the whole file is streamed and hashed)")
                        .breaks(lab -> {
                            lab.backupCorrupt();
                            lab.shareBackupsOverSsh();
                        })
                        .expect(code("ETCD_BACKUP_INVALID").severity(CRITICAL).evidence("hash_checked", true)
                                .says("sha256 trailer does not match")).build(),
                files("control-plane-files-backed-up", "the snapshot, a PKI archive and a configuration archive, "
                        + "all from last night's job, each whole and complete")
                        .healthy().metrics("kubernetes_files_backup_age_seconds", "kubernetes_files_backup_matching")
                        .build(),
                Scenario.<EtcdLab>of("control-plane-one-archive", "one tar -czf of all of /etc/kubernetes named by both "
                                + "pki-backup and config-backup")
                        .checks(BACKUP).target(lab -> "local:").param("path", EtcdLab::backupPattern)
                        .param("pki-backup", lab -> lab.archivePattern("etc-kubernetes-*.tgz"))
                        .param("config-backup", lab -> lab.archivePattern("etc-kubernetes-*.tgz"))
                        .healthy().metrics("kubernetes_files_backup_age_seconds").build(),
                files("pki-backup-stale", "the weekly PKI archive job stopped: the newest is ten days old")
                        .breaks(lab -> lab.archives().pkiStale())
                        .expect(code("PKI_NOT_BACKED_UP").severity(WARNING).evidence("problem", "stale")
                                .evidence("files-max-age", "8d").says("pki-20261204.tar.gz", "10d0h ago"))
                        .absent("CONFIG_NOT_BACKED_UP", "ETCD_BACKUP_STALE").build(),
                files("pki-backup-none", "the job backs up etcd only: no PKI archive exists")
                        .breaks(lab -> lab.archives().pkiGone())
                        .expect(code("PKI_NOT_BACKED_UP").severity(CRITICAL).evidence("problem", "missing")
                                .evidence("matching", 0).says("no file matches", "new cluster CA"))
                        .absent("CONFIG_NOT_BACKED_UP").build(),
                files("pki-backup-without-keys", "the newest PKI archive holds the certificates but none of the private "
                        + "keys (tar could not read them)")
                        .breaks(lab -> lab.archives().pkiWithoutKeys())
                        .expect(code("PKI_NOT_BACKED_UP").severity(CRITICAL).evidence("problem", "incomplete")
                                .evidence("absent", "ca.key,sa.key,front-proxy-ca.key,etcd/ca.key")
                                .says("pki-20261205.tar.gz", "lacks ca.key"))
                        .absent("CONFIG_NOT_BACKED_UP").build(),
                files("config-backup-truncated", "the newest configuration archive was cut off halfway (disk full "
                        + "while the job wrote it)")
                        .breaks(lab -> lab.archives().configTruncated())
                        .expect(code("CONFIG_NOT_BACKED_UP").severity(CRITICAL).evidence("format", "tar.gz")
                                .says("kubernetes-config-20261205.tar.gz", "cannot be unpacked", "gzip"))
                        .absent("PKI_NOT_BACKED_UP").build(),
                remoteFiles("control-plane-files-backed-up-ssh", "snapshot, PKI and configuration archives read on "
                        + "the backup host over ssh:// as an ordinary user in the backups' group")
                        .breaks(EtcdLab::shareBackupsOverSsh)
                        .healthy().metrics("kubernetes_files_backup_age_seconds").build(),
                remoteFiles("config-backup-stale-ssh", "over ssh://: the configuration archive is ten days old")
                        .breaks(lab -> {
                            lab.archives().configStale();
                            lab.shareBackupsOverSsh();
                        })
                        .expect(code("CONFIG_NOT_BACKED_UP").severity(WARNING).evidence("problem", "stale")
                                .says("kubernetes-config-20261204.tar.gz", "10d0h ago"))
                        .absent("PKI_NOT_BACKED_UP").build(),
                remoteFiles("pki-backup-without-keys-ssh", "over ssh://: the newest PKI archive lacks the private keys")
                        .breaks(lab -> {
                            lab.archives().pkiWithoutKeys();
                            lab.shareBackupsOverSsh();
                        })
                        .expect(code("PKI_NOT_BACKED_UP").severity(CRITICAL).evidence("problem", "incomplete")
                                .says("lacks ca.key"))
                        .absent("CONFIG_NOT_BACKED_UP").build(),
                remoteBackup("etcd-backup-ssh-host-key-changed", "the backup host's key is not the one pinned in "
                        + "known_hosts", HostKey.CHANGED)
                        .expect(code("SSH_HOST_KEY_CHANGED").severity(UNKNOWN).says("ssh-keygen -R")).build(),
                remoteBackup("etcd-backup-ssh-host-key-unknown", "the backup host is not in known_hosts yet",
                        HostKey.UNKNOWN)
                        .expect(code("SSH_HOST_KEY_UNKNOWN").severity(UNKNOWN).says("ssh-keyscan")).build());
    }

    private static Scenario.Builder<EtcdLab> remoteBackup(String id, String story) {
        return remoteBackup(id, story, HostKey.KNOWN);
    }

    /** k8s-etcd-backup over ssh:// to this machine, as the host lab's test user (the first login takes seconds). */
    private static Scenario.Builder<EtcdLab> remoteBackup(String id, String story, HostKey pinned) {
        return Scenario.<EtcdLab>of(id, story).checks(BACKUP).target(lab -> lab.sshTarget(pinned))
                .password(EtcdLab::sshPassphrase).param("path", EtcdLab::backupPattern).timeout(Duration.ofSeconds(20));
    }

    @Override
    public Map<String, String> recordedFactsOnly() {
        return Map.of("k8s-etcd#ETCD_RAFT_LAGGING", "a member cannot be held thousands of raft entries behind by "
                + "construction: a stopped (or SIGSTOPped) member answers nothing, which is ETCD_MEMBER_DOWN, and a "
                + "restarted one catches up within milliseconds, so a scenario would be a race; decided on etcd 3.4.23's "
                + "exact /v3/cluster/member/list and /v3/maintenance/status JSON in EtcdHealthRecordedFactsTest");
    }

    private static Scenario.Builder<EtcdLab> cluster(String id, String story) {
        return Scenario.<EtcdLab>of(id, story).checks(ETCD).target(EtcdLab::clusterTarget).param("window", WINDOW);
    }

    private static Scenario.Builder<EtcdLab> backup(String id, String story) {
        return Scenario.<EtcdLab>of(id, story).checks(BACKUP).target(lab -> "local:").param("path", EtcdLab::backupPattern);
    }

    /** k8s-etcd-backup with the PKI and configuration archives named, on this machine. */
    private static Scenario.Builder<EtcdLab> files(String id, String story) {
        return backup(id, story).param("pki-backup", lab -> lab.archivePattern("pki-*.tar.gz"))
                .param("config-backup", lab -> lab.archivePattern("kubernetes-config-*.tar.gz"));
    }

    private static Scenario.Builder<EtcdLab> remoteFiles(String id, String story) {
        return remoteBackup(id, story).param("pki-backup", lab -> lab.archivePattern("pki-*.tar.gz"))
                .param("config-backup", lab -> lab.archivePattern("kubernetes-config-*.tar.gz"));
    }

    private static Scenario.Builder<EtcdLab> single(String id, String story) {
        return Scenario.<EtcdLab>of(id, story).checks(ETCD).target(EtcdLab::singleTarget).param("window", WINDOW);
    }
}
