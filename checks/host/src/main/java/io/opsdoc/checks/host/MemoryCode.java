package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-memory, sections of the note linux/load-cpu-memory-swap. */
enum MemoryCode implements CheckCode {
    MEMORY_HIGH("little memory is available without swapping or reclaiming hard"),
    OOM_KILLS("the kernel's OOM killer ended processes");

    private final String title;

    MemoryCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxLoad.NOTE;
    }
}
