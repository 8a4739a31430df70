package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-backup-freshness, each a section of the note mysql/backup-mysqldump. */
enum BackupCode implements CheckCode {
    NO_BACKUP("no file matches the backup pattern"),
    BACKUP_STALE("the newest backup is older than the threshold"),
    BACKUP_EMPTY("the newest backup is an empty file"),
    BACKUP_SHRUNK("the newest backup is much smaller than the one before"),
    BACKUP_CORRUPT("the newest backup's gzip stream is truncated or damaged"),
    DUMP_CMD_PORT_FLAG("the dump command passes the port with -p, the password option");

    private final String title;

    BackupCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlBackupFreshness.NOTE;
    }
}
