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
                        .absent("PORT_FILTERED").build());
    }

    private static Scenario.Builder<HostLab> port(String id, String story) {
        return Scenario.<HostLab>of(id, story).checks("tcp-port").target(HostLab::tcpPortTarget)
                .timeout(Duration.ofSeconds(15)).onlyOn(HostLab.LOCAL);
    }
}
