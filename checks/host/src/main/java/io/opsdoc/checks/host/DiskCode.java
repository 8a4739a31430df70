package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-disk, each a section of the note linux/disk-usage. */
enum DiskCode implements CheckCode {
    DISK_USAGE_WARNING("a file system is fuller than the warning threshold"),
    DISK_USAGE_CRITICAL("a file system is fuller than the critical threshold"),
    FS_READ_ONLY("a file system is mounted read-only"),
    DELETED_OPEN_FILES("deleted files still held open keep their space in use");

    private final String title;

    DiskCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxDisk.NOTE;
    }
}
