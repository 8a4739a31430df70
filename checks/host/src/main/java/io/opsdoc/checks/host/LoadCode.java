package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-load, sections of the note linux/load-cpu-memory-swap. */
enum LoadCode implements CheckCode {
    LOAD_HIGH("the load average per CPU is above the threshold"),
    LOAD_RISING("the 1-minute load is far above the 15-minute load");

    private final String title;

    LoadCode(String title) {
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
