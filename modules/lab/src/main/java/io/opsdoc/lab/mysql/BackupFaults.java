package io.opsdoc.lab.mysql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Backup files for mysql-backup-freshness, made the way the notes make them: {@code mariadb-dump} of the lab's primary
 * piped through {@code gzip} (with --single-transaction, the password in MYSQL_PWD rather than on the command line).
 * Each state first empties the lab's backup directory, then lays out what a backup job would have left: last night's
 * and tonight's dumps, a dump whose mtime is 30 hours back, a dump that failed at login, a copy cut short.
 */
public final class BackupFaults {
    private static final Duration DAY = Duration.ofHours(24);
    /** The dumps are made once per lab: the database does not change in ways the checks would notice. */
    private static final Map<Path, Path> fullDumps = new java.util.concurrent.ConcurrentHashMap<>();

    private BackupFaults() {
    }

    /** The directory the backup scenarios use. */
    public static Path dir(MariaDbReplicationLab lab) {
        return lab.workDir().resolve("backups");
    }

    /** The glob of tonight's dumps in {@link #dir}. */
    public static String files(MariaDbReplicationLab lab) {
        return dir(lab).resolve("labdb-*.sql.gz").toString();
    }

    /** Last night's dump (24 h old) and tonight's (just made). */
    public static void fresh(MariaDbReplicationLab lab) throws IOException {
        Path dir = reset(lab);
        copy(fullDump(lab, "labdb"), dir.resolve("labdb-1.sql.gz"), DAY);
        dump(lab, dir.resolve("labdb-2.sql.gz"), "labdb");
    }

    /** Only last night's dump, 30 h old: tonight's job did not run. */
    public static void stale(MariaDbReplicationLab lab) throws IOException {
        Path dir = reset(lab);
        copy(fullDump(lab, "labdb"), dir.resolve("labdb-1.sql.gz"), Duration.ofHours(30));
    }

    /** Tonight's dump failed at login (wrong password): gzip still wrote a file, holding nothing. */
    public static void failedDump(MariaDbReplicationLab lab) throws IOException {
        Path dir = reset(lab);
        copy(fullDump(lab, "labdb"), dir.resolve("labdb-1.sql.gz"), DAY);
        run(lab, dir.resolve("labdb-2.sql.gz"), "not-the-password", "labdb");
    }

    /** Tonight's dump copied to the backup host and cut off at half its size (a full disk, a killed copy). */
    public static void truncated(MariaDbReplicationLab lab) throws IOException {
        Path dir = reset(lab);
        Path full = fullDump(lab, "labdb");
        Path target = dir.resolve("labdb-2.sql.gz");
        copy(full, target, Duration.ZERO);
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(full) / 2);
        }
        Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
    }

    /** Last night's dump held labdb and the mysql schema; tonight's only labdb (a database dropped from the job). */
    public static void shrunk(MariaDbReplicationLab lab) throws IOException {
        Path dir = reset(lab);
        copy(fullDump(lab, "labdb", "mysql"), dir.resolve("labdb-1.sql.gz"), DAY);
        dump(lab, dir.resolve("labdb-2.sql.gz"), "labdb");
    }

    /** Tonight's dump made 0600 (a job run by root with umask 077): only its owner can read it. */
    public static void hideNewest(MariaDbReplicationLab lab) throws IOException {
        Files.setPosixFilePermissions(dir(lab).resolve("labdb-2.sql.gz"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    private static Path reset(MariaDbReplicationLab lab) throws IOException {
        Path dir = dir(lab);
        io.opsdoc.lab.support.LabFiles.deleteRecursively(dir);
        Files.createDirectories(dir);
        return dir;
    }

    private static void copy(Path from, Path to, Duration age) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(to, FileTime.from(Instant.now().minus(age)));
    }

    private static synchronized Path fullDump(MariaDbReplicationLab lab, String... databases) throws IOException {
        Path key = lab.workDir().resolve("dump-" + String.join("-", databases) + ".sql.gz");
        if (!fullDumps.containsKey(key)) {
            dump(lab, key, databases);
            fullDumps.put(key, key);
        }
        return key;
    }

    private static void dump(MariaDbReplicationLab lab, Path out, String... databases) {
        run(lab, out, lab.adminPassword(), databases);
        try {
            if (Files.size(out) < 100) {
                throw new IllegalStateException("the lab's dump " + out + " is only " + Files.size(out) + " bytes");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code mariadb-dump ... | gzip > out}; a failing dump still leaves gzip's (empty) stream, as in production. */
    private static void run(MariaDbReplicationLab lab, Path out, String password, String... databases) {
        Path binaries = lab.workDir().resolve("mariadb");
        Path bundled = binaries.resolve("bin/mariadb-dump");
        String dump = Files.isExecutable(bundled) ? bundled.toString() : "/usr/bin/mariadb-dump";
        List<String> cmd = new ArrayList<>(List.of(dump, "--protocol=TCP", "-h", lab.host(), "-P",
                Integer.toString(lab.primaryPort()), "-u", lab.adminUser(), "--single-transaction", "--skip-ssl",
                "--databases"));
        cmd.addAll(List.of(databases));
        StringBuilder line = new StringBuilder();
        for (String c : cmd) {
            line.append('\'').append(c).append("' ");
        }
        line.append("2>/dev/null | gzip -c > '").append(out).append('\'');
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", line.toString()).redirectErrorStream(true);
        pb.environment().put("MYSQL_PWD", password);
        pb.environment().put("LD_LIBRARY_PATH", binaries.resolve("libs").toString());
        try {
            Process p = pb.start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("mariadb-dump | gzip did not finish within 60 s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run mariadb-dump", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dumping", e);
        }
    }
}
