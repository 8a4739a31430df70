package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-ip-forward, sections of the note linux/ip-forward-keepalive. */
enum IpForwardCode implements CheckCode {
    IP_FORWARD_DISABLED("IPv4 forwarding is off on a host expected to route (Docker bridge, Kubernetes, LVS-NAT)"),
    IP_FORWARD_ENABLED("IPv4 forwarding is on on a host expected not to route");

    private final String title;

    IpForwardCode(String title) {
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
