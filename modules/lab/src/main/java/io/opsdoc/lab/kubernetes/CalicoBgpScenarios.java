package io.opsdoc.lab.kubernetes;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.host.LabSshAccess.HostKey;
import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;

/**
 * k8s-calico-bgp against real BIRD daemons ({@link BgpLab}): node A's mesh session to B and its session to a global
 * peer C, broken by stopping a peer's BIRD or dropping TCP 179 in its namespace; a BIRD without BGP; a node without
 * BIRD; and the same socket read over ssh:// by an ordinary user with and without the socket's group.
 */
public final class CalicoBgpScenarios implements ScenarioSet<BgpLab> {
    private static final String CHECK = "k8s-calico-bgp";

    @Override
    public String system() {
        return "kubernetes-calico-bgp";
    }

    @Override
    public String description() {
        return "three BIRD 2 daemons in network namespaces peering as Calico nodes (Debian bird2, ~1 s)";
    }

    @Override
    public List<LabVariant<BgpLab>> variants() {
        return List.of(new LabVariant<>("default", BgpLab::unavailable, BgpLab::start, BgpLab::shared));
    }

    @Override
    public List<Scenario<BgpLab>> scenarios() {
        return List.of(
                node("bgp-healthy", "node A's mesh session to B and its session to the top-of-rack router C are "
                        + "Established").healthy()
                        .metrics("bgp_sessions", "bgp_sessions_established").build(),
                node("bgp-mesh-peer-down", "calico-node on node B is gone: its BIRD stopped, A's mesh session to it "
                        + "falls back to Active")
                        .breaks(BgpLab::stopMeshPeer)
                        .expect(code("BGP_PEER_DOWN").severity(WARNING).evidence("peer_kind", "node-to-node mesh").evidence("established", 1)
                                .evidence("sessions", 2).says("Mesh_10_216_", "not Established", "1 of 2 sessions"))
                        .absent("BGP_NO_PEERS").build(),
                node("bgp-all-peers-down", "B's and C's BIRD both stopped: A has no BGP session up (read with "
                        + "birdcl, the client Calico's image ships)")
                        .param("client", "/usr/sbin/birdcl")
                        .breaks(BgpLab::stopAllPeers)
                        .expect(code("BGP_PEER_DOWN").severity(CRITICAL).evidence("established", 0)
                                .says("no BGP session of this node is up"))
                        .build(),
                node("bgp-port-179-blocked", "a firewall on C's side drops TCP port 179: the hold timer expires and "
                        + "no new connection gets through")
                        .breaks(BgpLab::dropBgpAtC)
                        .expect(code("BGP_PEER_DOWN").severity(WARNING).evidence("peer_kind", "global BGPPeer")
                                .says("Global_10_216_", "not Established"))
                        .build(),
                Scenario.<BgpLab>of("bgp-no-peers", "a BIRD that runs no BGP protocol at all, as on a single-node "
                                + "cluster").checks(CHECK).target(lab -> "local:").param("bird-socket", BgpLab::loneSocket)
                        .expect(code("BGP_NO_PEERS").severity(INFO).evidence("bgp_sessions", 0).says("no BGP protocol"))
                        .absent("BGP_PEER_DOWN").build(),
                Scenario.<BgpLab>of("bgp-bird-not-running", "no BIRD listens on the socket path: calico-node is not "
                                + "running on this node").checks(CHECK).target(lab -> "local:")
                        .param("bird-socket", BgpLab::missingSocket)
                        .expect(code("UNREACHABLE").severity(UNKNOWN).says("Unable to connect", "is BIRD running"))
                        .build(),
                ssh("bgp-healthy-ssh", "the same node read over ssh:// by an ordinary user in the socket's group")
                        .breaks(BgpLab::shareSocketOverSsh).healthy().metrics("bgp_sessions_established").build(),
                ssh("bgp-socket-denied-ssh", "over ssh://: the user may enter the socket's directory, but the socket "
                        + "is root's (0660 root:root, owned by root as calico-node's is)")
                        .breaks(BgpLab::shareSocketDirectoryOnly)
                        .expect(code("PERMISSION_DENIED").severity(UNKNOWN).says("Permission denied", "opsdoc grants"))
                        .build(),
                ssh("bgp-ssh-host-key-changed", "the node's SSH host key is not the one pinned in known_hosts",
                        HostKey.CHANGED)
                        .expect(code("SSH_HOST_KEY_CHANGED").severity(UNKNOWN).says("ssh-keygen -R")).build(),
                ssh("bgp-ssh-host-key-unknown", "the node is not in known_hosts yet", HostKey.UNKNOWN)
                        .expect(code("SSH_HOST_KEY_UNKNOWN").severity(UNKNOWN).says("ssh-keyscan")).build());
    }

    private static Scenario.Builder<BgpLab> node(String id, String story) {
        return Scenario.<BgpLab>of(id, story).checks(CHECK).target(lab -> "local:").param("bird-socket", BgpLab::socket);
    }

    private static Scenario.Builder<BgpLab> ssh(String id, String story) {
        return ssh(id, story, HostKey.KNOWN);
    }

    /** k8s-calico-bgp over ssh:// to this machine as the host lab's test user (the first login takes seconds). */
    private static Scenario.Builder<BgpLab> ssh(String id, String story, HostKey pinned) {
        return Scenario.<BgpLab>of(id, story).checks(CHECK).target(lab -> lab.sshTarget(pinned))
                .password(BgpLab::sshPassphrase).param("bird-socket", BgpLab::socket).timeout(Duration.ofSeconds(20));
    }
}
