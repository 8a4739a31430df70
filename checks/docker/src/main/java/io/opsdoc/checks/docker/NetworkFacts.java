package io.opsdoc.checks.docker;

import java.util.List;

/**
 * What docker-network read: the daemon's networks with the containers attached to each, whether the daemon sees
 * {@code net.ipv4.ip_forward} on ({@code /info} IPv4Forwarding, read in dockerd's own network namespace), and, when
 * dockerd runs on this host, the IPv4 routing table of dockerd's network namespace.
 *
 * @param routes      null when not read (the daemon is on another host); see {@code routesFrom}
 * @param routesFrom  where the routes came from, or why they were not read
 */
public record NetworkFacts(String endpoint, String daemonHost, Boolean ipv4Forwarding, List<Net> networks,
        List<Route> routes, String routesFrom) {

    /**
     * @param bridge      the Linux bridge of a bridge-driver network (docker0, br-ID12, or its bridge.name option)
     * @param icc         the network's enable_icc option; null when not set (Docker's default: true)
     * @param containers  names of the containers attached (running or stopped)
     */
    public record Net(String id, String name, String driver, boolean internal, List<String> subnets, String bridge,
            Boolean icc, List<String> containers) {
    }

    /** One line of /proc/net/route: interface, destination prefix, gateway (0.0.0.0 when on-link). */
    public record Route(String iface, String destination, String gateway) {
    }
}
