package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.BackupCode.*;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FileGlob;
import io.opsdoc.core.Parameters;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Is there a recent, complete logical backup? Looks at the newest file matching a glob on the backup host, this machine
 * ({@code local:}) or one reached over SSH ({@code ssh://}, the host checks' transport: one {@code find} of the
 * directory, one {@code cat} of the newest file): its age, its size against the backup before it, and whether its gzip
 * stream reads to the end.
 */
public final class MysqlBackupFreshness extends DescribedCheck<BackupFacts> {
    public static final String ID = "mysql-backup-freshness";
    static final String NOTE = "mysql/backup-mysqldump";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("files", ParameterType.STRING, "/data/backup/*.sql.gz",
                    "glob of the backup files; wildcards in the file name only (the notes' /data/backup/<db>.sql.gz)"),
            new ParameterSpec("max-age", ParameterType.DURATION, "26h",
                    "age of the newest backup at which it is stale: a daily job plus two hours of slack"),
            new ParameterSpec("shrink-warning", ParameterType.PERCENT, "50%",
                    "the newest backup smaller than this share of the one before it is BACKUP_SHRUNK"),
            new ParameterSpec("dump-command", ParameterType.STRING, "",
                    "the backup job's dump command line as in its crontab, linted for -p PORT (empty: no lint); "
                            + "never echoed whole, it may hold a password"));

    private static final List<GrantSet> GRANTS = HostAccess.fileGrants(ID, List.of(
            "# no database privilege: opsdoc reads the backup files, not the server",
            "# the user (opsdoc) needs x on every directory above the backups, r and x on the backup directory and r",
            "# on the files. Either put it in the group that owns them (directory 0750, files 0640):",
            "usermod -a -G backup opsdoc",
            "# or, where the file system has ACLs (Debian package acl), name it alone; the default ACL covers files",
            "# the job writes later:",
            "# setfacl -m u:opsdoc:rx /data/backup; setfacl -d -m u:opsdoc:r /data/backup; setfacl -m u:opsdoc:r "
                    + "/data/backup/*"),
            "It never writes, and needs nothing else: no sudo, no database account.");

    public MysqlBackupFreshness() {
        super(ID, "local", "Is there a recent, non-empty, intact backup file?", BackupFacts.class, PARAMETERS,
                HostAccess.codesWith(BackupCode.class), GRANTS);
    }

    @Override
    public List<String> targetSchemes() {
        return HostAccess.SCHEMES;
    }

    @Override
    public void validate(Target target) {
        if (!HostAccess.SCHEMES.contains(target.scheme())) {
            throw new UsageException("mysql-backup-freshness reads the backup host's files: write the target as local: "
                    + "(this machine) or ssh://user@backup-host, and give the files with --set "
                    + "files='/data/backup/*.sql.gz'");
        }
        HostAccess.validate(target);
    }

    @Override
    public void validate(Target target, Parameters parameters) {
        validate(target);
        FileGlob.parse("files", parameters.string("files"));
    }

    @Override
    public BackupFacts collect(CheckContext context) throws Exception {
        return BackupFiles.collect(context, context.parameters().string("files"));
    }

    @Override
    public void evaluate(BackupFacts facts, Parameters p, Evaluation.Builder out) {
        DumpCommandLint.evaluate(p.string("dump-command"), out);
        if (facts.newest().isEmpty()) {
            out.finding(NO_BACKUP, Severity.CRITICAL, "no file matches " + facts.pattern() + ": the backup job has not "
                    + "run, writes elsewhere, or its directory is gone",
                    Evidence.of("files", facts.pattern(), "matched", facts.matched()));
            return;
        }
        BackupFacts.BackupFile newest = facts.newest().get(0);
        long ageMillis = Math.max(0, facts.readAtMillis() - newest.modifiedMillis());
        Duration maxAge = p.duration("max-age");
        out.metric(new Metric("backup_age_seconds", ageMillis / 1000, "s", Map.of(), (double) maxAge.toSeconds(), null));
        out.metric(Metric.of("backup_bytes", newest.bytes(), "B"));
        if (ageMillis >= maxAge.toMillis()) {
            out.finding(BACKUP_STALE, Severity.WARNING, "the newest backup " + newest.path() + " is " + human(ageMillis)
                    + " old (stale at " + p.raw().get("max-age") + "): the backup job has stopped or fails before "
                    + "writing its file", Evidence.of("path", newest.path(), "age_seconds", ageMillis / 1000,
                            "max-age", p.raw().get("max-age"), "matched", facts.matched()));
        }
        boolean emptyStream = facts.gzip() != null && facts.gzip().intact() && facts.gzip().uncompressedBytes() == 0;
        if (newest.bytes() == 0 || emptyStream) {
            out.finding(BACKUP_EMPTY, Severity.CRITICAL, "the newest backup " + newest.path() + " is empty ("
                    + (emptyStream ? "a valid gzip stream of " + newest.bytes() + " bytes that holds nothing"
                    : "0 bytes") + "): the dump failed at once (wrong credentials, option or host) and only the "
                    + "redirection" + (emptyStream ? " through gzip" : "") + " created the file",
                    Evidence.of("path", newest.path(), "bytes", newest.bytes())
                            .putIfPresent("uncompressed_bytes", emptyStream ? 0L : null));
            return;
        }
        if (facts.gzip() != null && !facts.gzip().intact()) {
            out.finding(BACKUP_CORRUPT, Severity.CRITICAL, "the newest backup " + newest.path() + " is not a complete "
                    + "gzip stream (" + facts.gzip().error() + " after " + facts.gzip().uncompressedBytes()
                    + " uncompressed bytes): it cannot be restored in full; the copy was cut short or the disk filled",
                    Evidence.of("path", newest.path(), "bytes", newest.bytes(), "gzip_error", facts.gzip().error(),
                            "uncompressed_bytes", facts.gzip().uncompressedBytes()));
        }
        if (facts.newest().size() > 1) {
            shrunk(newest, facts.newest().get(1), p, out);
        }
    }

    private static void shrunk(BackupFacts.BackupFile newest, BackupFacts.BackupFile previous, Parameters p,
            Evaluation.Builder out) {
        if (previous.bytes() <= 0) {
            return;
        }
        double share = 100.0 * newest.bytes() / previous.bytes();
        if (share < p.percent("shrink-warning")) {
            out.finding(BACKUP_SHRUNK, Severity.WARNING, String.format(Locale.ROOT, "the newest backup %s is %d bytes, "
                    + "%.0f%% of the one before (%s, %d bytes): a database or table may be missing from the dump, or "
                    + "data was deleted", newest.path(), newest.bytes(), share, previous.path(), previous.bytes()),
                    Evidence.of("path", newest.path(), "bytes", newest.bytes(), "previous_path", previous.path(),
                            "previous_bytes", previous.bytes(), "percent_of_previous", MysqlFacts.round(share)));
        }
    }

    private static String human(long millis) {
        long h = millis / 3_600_000;
        return h >= 48 ? (h / 24) + " days" : h >= 1 ? h + " h" : (millis / 60_000) + " min";
    }
}
