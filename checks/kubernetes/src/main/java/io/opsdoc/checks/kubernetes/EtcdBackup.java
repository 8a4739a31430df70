package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.BackupCode.*;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FileGlob;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Is there a recent etcd snapshot a restore would accept? Finds the newest file matching {@code path} (a glob in its
 * last component) on the host that keeps them ({@code local:}, or {@code ssh://} through the host checks' transport:
 * one {@code find} of the directory, one {@code cat} of the newest file), and judges its age and whether it is a whole snapshot
 * ({@link SnapshotFile}: bbolt meta pages, page count, etcd's sha256 trailer). With pki-backup / config-backup set,
 * also the newest archives of /etc/kubernetes/pki and the kubeconfigs and manifests ({@link ControlPlaneFileBackups}).
 * Reads files only.
 */
public final class EtcdBackup extends DescribedCheck<BackupFacts> {
    public static final String ID = "k8s-etcd-backup";
    static final String NOTE = "kubernetes/backup-restore";

    private static final List<ParameterSpec> PARAMETERS = java.util.stream.Stream.concat(java.util.stream.Stream.of(
            new ParameterSpec("path", ParameterType.STRING, "/var/backups/etcd/*.db",
                    "the snapshot files: an absolute path whose last component may be a glob (*, ?, [..], {a,b})"),
            new ParameterSpec("max-age", ParameterType.DURATION, "26h",
                    "age of the newest snapshot that warns (a daily job plus slack)"),
            new ParameterSpec("max-age-critical", ParameterType.DURATION, "72h",
                    "age of the newest snapshot that is critical")), ControlPlaneFileBackups.PARAMETERS.stream()).toList();

    private static final List<GrantSet> GRANTS = HostAccess.fileGrants(ID, List.of(
            "# the user (opsdoc) needs x on every directory above the snapshots, r and x on the snapshot directory and",
            "# r on the snapshots (the same for the PKI and configuration archives of pki-backup and config-backup). Snapshots hold every Secret of the cluster: keep them 0640 (never world-readable)",
            "# and put the user in the group that owns them (directory 0750):",
            "usermod -a -G etcd-backup opsdoc",
            "# or, where the file system has ACLs (Debian package acl), name it alone; the default ACL covers",
            "# snapshots written later:",
            "# setfacl -m u:opsdoc:rx /var/backups/etcd; setfacl -d -m u:opsdoc:r /var/backups/etcd; setfacl -m "
                    + "u:opsdoc:r /var/backups/etcd/*"),
            "Nothing is written, and the user needs no Kubernetes or etcd credentials. The PKI archives hold the "
                    + "cluster CA's private key: the same group-only access applies.");

    public EtcdBackup() {
        super(ID, "local", "Is the newest etcd snapshot recent and whole, and are the PKI and control-plane configuration "
                + "backed up beside it?",
                BackupFacts.class, PARAMETERS, HostAccess.codesWith(BackupCode.class), GRANTS);
    }

    @Override
    public List<String> targetSchemes() {
        return HostAccess.SCHEMES;
    }

    @Override
    public void validate(Target target) {
        if (!HostAccess.SCHEMES.contains(target.scheme())) {
            throw new UsageException("k8s-etcd-backup reads the files of the host that keeps the snapshots: use the "
                    + "target local: (this machine) or ssh://user@backup-host, not " + target.display());
        }
        HostAccess.validate(target);
    }

    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        FileGlob.parse("path", p.string("path"));
        if (p.duration("max-age").compareTo(p.duration("max-age-critical")) > 0) {
            throw new UsageException("max-age (" + p.raw().get("max-age") + ") must not exceed max-age-critical ("
                    + p.raw().get("max-age-critical") + ")");
        }
        ControlPlaneFileBackups.validate(p);
    }

    @Override
    public BackupFacts collect(CheckContext context) throws Exception {
        String path = context.parameters().string("path");
        FileGlob glob = FileGlob.parse("path", path);
        return HostAccess.with(context, host -> {
            String hint = "run 'opsdoc grants " + ID + "'";
            List<BackupFacts.FilesBackup> archives = ControlPlaneFileBackups.collect(host, context, hint);
            List<FileGlob.Match> files = host.files(glob, hint);
            if (files.isEmpty()) {
                return new BackupFacts(path, Instant.now(), 0, null, archives);
            }
            FileGlob.Match newest = files.get(0);
            String file = newest.path().toString();
            BackupFacts.Snapshot snapshot = host.stream(file, in -> SnapshotFile.read(file, newest.bytes(),
                    Instant.ofEpochMilli(newest.modifiedMillis()), in, context));
            return new BackupFacts(path, Instant.now(), files.size(), snapshot, archives);
        });
    }

    @Override
    public void evaluate(BackupFacts facts, Parameters p, Evaluation.Builder out) {
        ControlPlaneFileBackups.evaluate(facts, p, out);
        out.metric(Metric.of("etcd_backup_files", facts.matching(), ""));
        BackupFacts.Snapshot s = facts.newest();
        if (s == null) {
            out.finding(ETCD_BACKUP_MISSING, Severity.CRITICAL, "no file matches " + facts.pattern() + ": there is no "
                    + "etcd snapshot to restore from. Check the backup job (cron or CronJob running etcdctl snapshot "
                    + "save), where it writes, and whether a cleanup removed everything",
                    Evidence.of("path", facts.pattern(), "matching", 0));
            return;
        }
        Duration age = Duration.between(s.modified(), facts.observedAt());
        out.metric(Metric.of("etcd_backup_age_seconds", Math.max(0, age.toSeconds()), "s"));
        out.metric(Metric.of("etcd_backup_size_bytes", s.sizeBytes(), "B"));
        Evidence base = Evidence.of("file", s.path(), "size_bytes", s.sizeBytes(), "modified", s.modified().toString(),
                "age_hours", Math.round(age.toMinutes() / 6.0) / 10.0, "matching", facts.matching());
        Duration warn = p.duration("max-age");
        Duration crit = p.duration("max-age-critical");
        if (age.compareTo(warn) > 0) {
            boolean critical = age.compareTo(crit) > 0;
            out.finding(ETCD_BACKUP_STALE, critical ? Severity.CRITICAL : Severity.WARNING, "the newest etcd snapshot "
                    + s.path() + " was written " + Durations.human(age) + " ago (" + (critical ? "max-age-critical "
                            + p.raw().get("max-age-critical") : "max-age " + p.raw().get("max-age")) + "): the backup "
                    + "job has stopped or writes elsewhere; a restore now would lose every change since "
                    + s.modified(), base.put(critical ? "max-age-critical" : "max-age",
                            p.raw().get(critical ? "max-age-critical" : "max-age")));
        }
        if (s.problem() != null) {
            out.finding(ETCD_BACKUP_INVALID, Severity.CRITICAL, "the newest etcd snapshot " + s.path() + " cannot be "
                    + "restored: " + s.problem() + ". Take a new snapshot now (etcdctl snapshot save), check it "
                    + "(etcdctl snapshot status, or etcdutl on 3.5+), and find out why the job wrote a broken file "
                    + "(disk full, killed mid-write, copied while written)",
                    Evidence.of("file", s.path(), "size_bytes", s.sizeBytes(), "page_size", s.pageSize(), "pages",
                            s.pages(), "hash_checked", s.hashChecked(), "problem", s.problem()));
        }
    }
}
