package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of tcp-keepalive-config, sections of the note linux/ip-forward-keepalive. */
enum KeepaliveCode implements CheckCode {
    KEEPALIVE_DEFAULT_2H("TCP keepalive starts probing an idle connection only after about two hours (the default)");

    private final String title;

    KeepaliveCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxIpForward.NOTE;
    }
}
