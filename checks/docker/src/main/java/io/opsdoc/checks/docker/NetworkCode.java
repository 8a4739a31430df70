package io.opsdoc.checks.docker;

import io.opsdoc.core.CheckCode;

/** The finding codes of docker-network, each a section of the note docker/networking. */
enum NetworkCode implements CheckCode {
    BRIDGE_SUBNET_OVERLAP("a Docker bridge subnet overlaps a route of the host (LAN, VPN): those addresses become unreachable"),
    SUBNET_NOT_PRIVATE("a Docker network uses public address space (not RFC 1918): it shadows real hosts"),
    IP_FORWARD_DISABLED("net.ipv4.ip_forward is off while bridge networks exist: their containers cannot reach past the host"),
    ICC_DISABLED("inter-container communication is off on a bridge network (enable_icc=false)"),
    NETWORKS_UNUSED("user-defined networks no container is attached to");

    private final String title;

    NetworkCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return DockerNetwork.NOTE;
    }
}
