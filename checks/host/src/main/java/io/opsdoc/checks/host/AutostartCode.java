package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-service-autostart, sections of the note linux/boot-and-autostart. */
enum AutostartCode implements CheckCode {
    SERVICE_NOT_ENABLED("a named service would not start at boot (disabled, masked, no start link, or not installed)"),
    SERVICE_FAILED("a named service is in systemd's failed state"),
    RC_LOCAL_NOT_EXECUTABLE("rc.local holds commands but is not executable, so nothing runs it at boot");

    private final String title;

    AutostartCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxServiceAutostart.NOTE;
    }
}
