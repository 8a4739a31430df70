package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.BackupCode.*;

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
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Is there a recent etcd snapshot a restore would accept? Finds the newest file matching {@code path} (a glob in its
 * last component) on the machine opsdoc runs on, and judges its age and whether it is a whole snapshot
 * ({@link SnapshotFile}: bbolt meta pages, page count, etcd's sha256 trailer). Reads files only.
 */
public final class EtcdBackup extends DescribedCheck<BackupFacts> {
    public static final String ID = "k8s-etcd-backup";
    static final String NOTE = "kubernetes/backup-restore";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("path", ParameterType.STRING, "/var/backups/etcd/*.db",
                    "the snapshot files: an absolute path whose last component may be a glob (*, ?, [..], {a,b})"),
            new ParameterSpec("max-age", ParameterType.DURATION, "26h",
                    "age of the newest snapshot that warns (a daily job plus slack)"),
            new ParameterSpec("max-age-critical", ParameterType.DURATION, "72h",
                    "age of the newest snapshot that is critical"));

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("local files", List.of(
            "read and list the snapshot directory", "read the newest snapshot file"),
            "run as a user in the group that owns the backups (snapshots hold every Secret of the cluster: keep them "
                    + "mode 0600/0640, never world-readable); nothing is written"));

    public EtcdBackup() {
        super(ID, "local", "Is the newest etcd snapshot recent, and is it a whole snapshot a restore would accept?",
                BackupFacts.class, PARAMETERS, BackupCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        if (!"local".equals(target.scheme()) || !(target.path().isEmpty() || target.path().equals("//"))) {
            throw new UsageException("k8s-etcd-backup reads files on the machine opsdoc runs on: use the target local:, "
                    + "not " + target.display() + " (run opsdoc on the host that keeps the snapshots)");
        }
    }

    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        FileGlob.parse("path", p.string("path"));
        if (p.duration("max-age").compareTo(p.duration("max-age-critical")) > 0) {
            throw new UsageException("max-age (" + p.raw().get("max-age") + ") must not exceed max-age-critical ("
                    + p.raw().get("max-age-critical") + ")");
        }
    }

    @Override
    public BackupFacts collect(CheckContext context) throws Exception {
        String path = context.parameters().string("path");
        List<FileGlob.Match> files = FileGlob.parse("path", path)
                .newestFirst("run as a user in the group that owns the backups");
        if (files.isEmpty()) {
            return new BackupFacts(path, Instant.now(), 0, null);
        }
        Path newest = files.get(0).path();
        int matching = files.size();
        try {
            return new BackupFacts(path, Instant.now(), matching, SnapshotFile.read(newest, context));
        } catch (AccessDeniedException e) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "cannot read " + newest + ": permission denied");
        } catch (IOException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "reading " + newest + " failed: " + e.getMessage());
        }
    }

    @Override
    public void evaluate(BackupFacts facts, Parameters p, Evaluation.Builder out) {
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
