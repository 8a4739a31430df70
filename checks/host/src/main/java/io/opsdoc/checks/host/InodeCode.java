package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-inodes, each a section of the note linux/inodes. */
enum InodeCode implements CheckCode {
    INODES_WARNING("a file system has used more inodes than the warning threshold"),
    INODES_CRITICAL("a file system has used more inodes than the critical threshold");

    private final String title;

    InodeCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxInodes.NOTE;
    }
}
