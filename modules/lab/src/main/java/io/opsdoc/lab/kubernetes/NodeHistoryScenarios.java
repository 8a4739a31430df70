package io.opsdoc.lab.kubernetes;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.host.LabSshAccess.HostKey;
import io.opsdoc.lab.scenario.Scenario;
import java.time.Duration;
import java.util.List;

/**
 * k8s-node-notready's two looks beyond the current Node objects ({@link KubernetesScenarios} lists them): its Ready
 * history from the Events the kubelet and the node-lifecycle controller write (READY_FLAPPING), and, with
 * kubelet-host, the node's own process table (KUBELET_INACTIVE) over local: and ssh:// to this machine, where the lab
 * runs a stand-in process named kubelet ({@link KubeletStandIn}). Neither depends on the Kubernetes version, so they
 * run on the v1.32 variant only.
 */
final class NodeHistoryScenarios {
    private static final String NODES = "k8s-node-notready";

    private NodeHistoryScenarios() {
    }

    static List<Scenario<KubernetesLab>> all() {
        return List.of(
                nodes("node-ready-flapping", "worker-2's kubelet went NotReady (PLEG) and back 4 times in 12 minutes, "
                        + "the last recovery 2 minutes ago: Ready=True now, the Events remember")
                        .breaks(lab -> lab.nodes().readyFlapping("worker-2", 4, Duration.ofMinutes(12), Duration.ofMinutes(2)))
                        .expect(code("READY_FLAPPING").severity(WARNING).evidence("transitions", 8).evidence("window", "15m")
                                .evidence("flap-transitions", 2)
                                .says("node worker-2 changed Ready about 8 times in the last 15m",
                                        "NodeNotReady x4 (kubelet)", "NodeNotReady x4 (node-controller)",
                                        "NodeReady x4 (kubelet)", "journalctl -u kubelet"))
                        .absent("NODE_NOT_READY", "NODE_UNKNOWN", "LEASE_STALE").build(),
                nodes("node-flapping-before-window", "the same 4 flaps, with flap-window 5m: only the last flap is "
                        + "inside it").param("flap-window", "5m")
                        .breaks(lab -> lab.nodes().readyFlapping("worker-2", 4, Duration.ofMinutes(12), Duration.ofMinutes(2)))
                        .healthy().absent("READY_FLAPPING").build(),
                nodes("node-rebooted-once", "worker-1 was rebooted 10 minutes ago (NotReady, then Ready: 2 transitions); "
                        + "its flapping of an hour ago still has Events")
                        .breaks(lab -> lab.nodes().rebootedOnceAfterOldFlapping("worker-1", Duration.ofMinutes(10)))
                        .healthy().absent("READY_FLAPPING").metrics("node_ready_transitions_max").build(),
                nodes("kubelet-running", "kubelet-host=local:, where a kubelet runs")
                        .param("kubelet-host", "local:").breaks(lab -> lab.kubelet().running())
                        .healthy().absent("KUBELET_INACTIVE").metrics("kubelet_processes").build(),
                nodes("kubelet-stopped", "the kubelet on the node was stopped 2 minutes ago: worker-1 went Unknown, "
                        + "and kubelet-host=local: shows no kubelet process")
                        .param("kubelet-host", "local:").breaks(lab -> {
                            lab.kubelet().stopped();
                            lab.nodes().unreachable("worker-1", Duration.ofMinutes(2));
                        })
                        .expect(code("KUBELET_INACTIVE").severity(CRITICAL).evidence("host", "local:")
                                .evidence("kubelet_processes", 0).says("no kubelet runs on local:",
                                        "journalctl -u kubelet", "systemctl start kubelet"))
                        .expect(code("NODE_UNKNOWN").severity(CRITICAL)).build(),
                overSsh("kubelet-running-ssh", "kubelet-host=ssh:// as an ordinary user, a kubelet running", HostKey.KNOWN)
                        .breaks(lab -> lab.kubelet().running()).healthy().absent("KUBELET_INACTIVE").build(),
                overSsh("kubelet-stopped-ssh", "kubelet-host=ssh:// as an ordinary user, the kubelet stopped",
                        HostKey.KNOWN).breaks(lab -> lab.kubelet().stopped())
                        .expect(code("KUBELET_INACTIVE").severity(CRITICAL).evidence("kubelet_processes", 0)
                                .says("no kubelet runs on")).build(),
                overSsh("kubelet-host-key-changed", "the node's SSH host key is not the one pinned in known_hosts",
                        HostKey.CHANGED)
                        .expect(code("SSH_HOST_KEY_CHANGED").severity(UNKNOWN).says("ssh-keygen -R")).build(),
                overSsh("kubelet-host-key-unknown", "the node is not in known_hosts yet", HostKey.UNKNOWN)
                        .expect(code("SSH_HOST_KEY_UNKNOWN").severity(UNKNOWN).says("ssh-keyscan")).build());
    }

    private static Scenario.Builder<KubernetesLab> nodes(String id, String story) {
        return Scenario.<KubernetesLab>of(id, story).checks(NODES).target(KubernetesLab::targetUri)
                .onlyOn(KubernetesScenarios.V132);
    }

    private static Scenario.Builder<KubernetesLab> overSsh(String id, String story, HostKey pinned) {
        return nodes(id, story).param("kubelet-host", lab -> lab.network().nodeSsh(pinned))
                .password(lab -> lab.network().nodeSshPassphrase()).timeout(Duration.ofSeconds(20));
    }
}
