package io.opsdoc.lab.host;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.Scenario;
import java.time.Duration;
import java.util.List;

/**
 * The network probes from where opsdoc runs (part of {@link HostScenarios}): tcp-port toward a peer host in the lab's
 * network namespace, across the veth pair. The target is tcp://, not the host transport, so they run on the local
 * variant only: the ssh variant would repeat the same connects.
 */
final class PeerScenarios {
    private PeerScenarios() {
    }

    static List<Scenario<HostLab>> scenarios() {
        return List.of(
                port("tcp-port-open", "a service listens on the peer's port 3306 and accepts at once").healthy()
                        .metrics("tcp_port_open", "tcp_connect_seconds").build(),
                port("tcp-port-closed", "the service on the peer was stopped: its port answers a SYN with a reset")
                        .breaks(HostLab::peerServiceStopped)
                        .expect(code("PORT_CLOSED").severity(CRITICAL).evidence("outcome", "REFUSED")
                                .says("refused the connection", "ss -ltn"))
                        .absent("PORT_FILTERED").build(),
                port("tcp-port-filtered", "a firewall rule on the peer drops every packet to the port (iptables -j DROP)")
                        .param("connect-timeout", "1s").breaks(HostLab::peerPortFirewalled)
                        .expect(code("PORT_FILTERED").severity(CRITICAL).evidence("outcome", "TIMEOUT")
                                .evidence("connect_timeout_ms", 1000L).says("did not answer", "firewall"))
                        .absent("PORT_CLOSED").build(),
                port("tcp-port-slow", "every other SYN to the peer's port is lost: each connect waits for the 1 s "
                        + "retransmission").breaks(HostLab::peerLosesSyns)
                        .expect(code("CONNECT_SLOW").severity(WARNING).positive("connect_ms").says("retransmitted"))
                        .build(),
                port("tcp-port-no-route", "the peer went down: its address left the link, so ARP for it goes "
                        + "unanswered").breaks(HostLab::peerGone)
                        .expect(code("NO_ROUTE").severity(CRITICAL).evidence("outcome", "NO_ROUTE").says("ARP"))
                        .absent("PORT_FILTERED").build(),
                // RTT stays a metric, checked here: this kernel has no netem to delay packets for an RTT code
                reach("reach-healthy", "the peer host answers every echo request (RTT is reported as a metric)")
                        .healthy()
                        .metrics("probe_loss_percent", "probe_rtt_seconds").build(),
                reach("reach-packet-loss", "a rule on the peer drops every other echo request (a lossy link)")
                        .breaks(HostLab::peerLosesPings)
                        .expect(code("PACKET_LOSS").severity(WARNING).positive("loss_percent").says("lost"))
                        .absent("HOST_UNREACHABLE").build(),
                reach("reach-host-down", "the peer went down: its address left the link").param("count", "2")
                        .breaks(HostLab::peerGone)
                        .expect(code("HOST_UNREACHABLE").severity(CRITICAL).evidence("answered", 0L)
                                .says("answered none of 2")).build(),
                arp("arp-healthy", "the peer on the lab's veth pair answers ARP (a connect to it made its entry "
                        + "complete)").breaks(HostLab::reachPeer).healthy()
                        .metrics("arp_entries", "arp_unanswered_entries").build(),
                arp("arp-incomplete", "the peer went down while a client on this host keeps sending to it")
                        .holds(HostLab::unansweredNeighbour)
                        .expect(code("ARP_INCOMPLETE").severity(WARNING).positive("unanswered")
                                .says("did not answer ARP", "no route to host")).build(),
                dns("dns-healthy", "the host's resolver (dnsmasq in the lab's namespace) answers db1.lab.test with "
                        + "its address at once").healthy().metrics("dns_lookup_seconds", "dns_nameservers").build(),
                dns("dns-name-removed", "db1.lab.test was deleted from the zone (the hosts file dnsmasq serves, "
                        + "reloaded with SIGHUP)").breaks(HostLab::dnsNameRemoved)
                        .expect(code("NAME_NOT_FOUND").severity(CRITICAL).evidence("rcode", "NXDOMAIN")
                                .says("does not exist")).absent("ADDRESS_MISMATCH").build(),
                dns("dns-wrong-address", "db1.lab.test now points at 10.9.9.9, a stale record after a move")
                        .breaks(HostLab::dnsWrongAddress)
                        .expect(code("ADDRESS_MISMATCH").severity(CRITICAL).says("[10.9.9.9]", "not the expected"))
                        .absent("NAME_NOT_FOUND").build(),
                dns("dns-refused", "a name outside the resolver's own zone, and the resolver (a forwarder) has no "
                        + "upstream server configured").param("names", "www.example.org")
                        .expect(code("RESOLVER_ERROR").severity(CRITICAL).evidence("rcode", "REFUSED")
                                .says("no upstream")).build(),
                dns("dns-resolver-firewalled", "a firewall drops every DNS query to the host's only nameserver")
                        .breaks(HostLab::dnsFirewalled)
                        .expect(code("NAMESERVER_DOWN").severity(CRITICAL).evidence("failure", "TIMEOUT")
                                .says("no nameserver answered")).build(),
                dns("dns-first-nameserver-dead", "resolv.conf names first an address where no DNS server runs, then "
                        + "the working resolver").breaks(HostLab::resolvConfFirstServerDead)
                        .expect(code("NAMESERVER_DOWN").severity(WARNING).says("the next nameserver answered"))
                        .absent("NAME_NOT_FOUND", "ADDRESS_MISMATCH").build(),
                dns("dns-slow", "every other query to the resolver is lost: each lookup is answered at its second "
                        + "try, after options timeout:1").breaks(HostLab::dnsLosesQueries)
                        .expect(code("RESOLVER_SLOW").severity(WARNING).evidence("tries", 2).says("at try 2"))
                        .absent("NAMESERVER_DOWN").build(),
                dns("resolv-conf-no-nameserver", "resolv.conf keeps a search domain but lost its nameserver lines")
                        .param("names", "").breaks(HostLab::resolvConfWithoutNameserver)
                        .expect(code("NO_NAMESERVER").severity(WARNING).says("names no nameserver", "127.0.0.1"))
                        .build(),
                dns("resolv-conf-four-nameservers", "resolv.conf lists four nameservers").param("names", "")
                        .breaks(HostLab::resolvConfFourNameservers)
                        .expect(code("NAMESERVERS_IGNORED").severity(WARNING).says("10.214.0.53", "only the first three"))
                        .build());
    }

    private static Scenario.Builder<HostLab> reach(String id, String story) {
        return Scenario.<HostLab>of(id, story).checks("host-reachability").target(HostLab::icmpTarget)
                .timeout(Duration.ofSeconds(15)).onlyOn(HostLab.LOCAL);
    }

    /** linux-arp on the host's neighbour table, judged on the lab's veth pair only. */
    private static Scenario.Builder<HostLab> arp(String id, String story) {
        return HostScenarios.host(id, story).checks("linux-arp").param("interfaces", HostLab::netInterface);
    }

    /** dns-resolution through the host transport, reading the lab's resolv.conf; the queries go from the test JVM. */
    private static Scenario.Builder<HostLab> dns(String id, String story) {
        return HostScenarios.host(id, story).checks("dns-resolution").param("resolv-conf", HostLab::resolvConf)
                .param("names", HostLab::dnsNames);
    }

    private static Scenario.Builder<HostLab> port(String id, String story) {
        return Scenario.<HostLab>of(id, story).checks("tcp-port").target(HostLab::tcpPortTarget)
                .timeout(Duration.ofSeconds(15)).onlyOn(HostLab.LOCAL);
    }
}
