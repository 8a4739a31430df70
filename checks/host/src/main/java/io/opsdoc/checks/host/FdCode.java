package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-fd-usage, sections of the note linux/file-descriptors. */
enum FdCode implements CheckCode {
    SYSTEM_FD_HIGH("the kernel's file handles are close to fs.file-max"),
    PROCESS_FD_HIGH("a process is close to its open-files limit");

    private final String title;

    FdCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxFdUsage.NOTE;
    }
}
