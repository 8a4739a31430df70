package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-swap, sections of the note linux/load-cpu-memory-swap. */
enum SwapCode implements CheckCode {
    SWAP_HIGH("most of the swap space is in use"),
    SWAPPING_ACTIVE("pages are being read back from swap now");

    private final String title;

    SwapCode(String title) {
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
