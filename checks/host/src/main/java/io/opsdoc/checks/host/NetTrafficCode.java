package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-net-traffic, sections of the note linux/net-traffic. */
enum NetTrafficCode implements CheckCode {
    NIC_ERRORS("an interface counted receive or transmit errors for a share of its packets during the window"),
    NIC_DROPS("an interface dropped a share of its packets during the window");

    private final String title;

    NetTrafficCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxNetTraffic.NOTE;
    }
}
