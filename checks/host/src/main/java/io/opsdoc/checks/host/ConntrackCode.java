package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-conntrack, sections of the note linux/conntrack. */
enum ConntrackCode implements CheckCode {
    CONNTRACK_NEAR_FULL("the connection-tracking table is close to nf_conntrack_max"),
    CONNTRACK_DROPS("packets were dropped during the window because a conntrack entry could not be made");

    private final String title;

    ConntrackCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxConntrack.NOTE;
    }
}
