package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding code of linux-zombies, a section of the note linux/zombies. */
enum ZombieCode implements CheckCode {
    ZOMBIES_PRESENT("processes exited but their parents have not reaped them");

    private final String title;

    ZombieCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxZombies.NOTE;
    }
}
