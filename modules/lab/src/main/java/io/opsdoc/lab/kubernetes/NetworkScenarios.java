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
 * k8s-cni and k8s-kube-proxy on the mock API server ({@link KubernetesScenarios} lists them): the network plugin's
 * agent DaemonSet and ConfigMap as Flannel's and Calico's manifests create them, agent pods that crash or stay
 * unready, NetworkUnavailable nodes, and kube-proxy's /healthz stand-ins on the nodes' InternalIPs. Their answers do
 * not depend on the Kubernetes version, so they run on the v1.32 variant only. k8s-kube-proxy's node part reads a
 * network namespace of the lab's into which kube-proxy's iptables rules for the mock cluster's Services were loaded,
 * then cut (one Service's rule deleted, the nat table flushed).
 */
final class NetworkScenarios {
    private static final String CNI = "k8s-cni";
    private static final String PROXY = "k8s-kube-proxy";

    private NetworkScenarios() {
    }

    static List<Scenario<KubernetesLab>> all() {
        return List.of(
                cni("cni-flannel-healthy", "Flannel (vxlan) from kube-flannel.yml, one Ready agent per node")
                        .breaks(lab -> lab.network().flannel("vxlan")).healthy().metrics("cni_agent_pods_ready").build(),
                cni("cni-flannel-crashing", "flanneld on worker-1 cannot reach the API server and crash-loops")
                        .breaks(lab -> {
                            lab.network().flannel("vxlan");
                            lab.network().flannelCrashing("worker-1");
                        })
                        .expect(code("CNI_POD_NOT_READY").severity(CRITICAL).evidence("daemonset", "kube-flannel/kube-flannel-ds")
                                .evidence("desired", 3).evidence("ready", 2)
                                .says("Flannel agent", "kube-flannel-ds-m4q7z on worker-1 (CrashLoopBackOff, 7 restarts)",
                                        "failed to setup network for sandbox"))
                        .absent("FLANNEL_UDP_BACKEND", "NETWORK_UNAVAILABLE").build(),
                cni("cni-flannel-udp", "an old cluster still runs Flannel with Backend.Type udp")
                        .breaks(lab -> lab.network().flannel("udp"))
                        .expect(code("FLANNEL_UDP_BACKEND").severity(WARNING).evidence("backend", "udp")
                                .evidence("configmap", "kube-flannel/kube-flannel-cfg").says("debugging only", "vxlan"))
                        .absent("CNI_POD_NOT_READY").build(),
                cni("cni-calico-not-ready", "calico-node on worker-2 runs but is not Ready: BIRD has no BGP session")
                        .breaks(lab -> lab.network().calicoNodeNotReady("worker-2"))
                        .expect(code("CNI_POD_NOT_READY").severity(CRITICAL).evidence("daemonset", "kube-system/calico-node")
                                .evidence("ready", 2).says("Calico agent", "on worker-2 (Running)"))
                        .absent("FLANNEL_UDP_BACKEND").build(),
                cni("cni-network-unavailable", "no route was created for worker-2's pod CIDR: NetworkUnavailable=True")
                        .breaks(lab -> lab.nodes().networkUnavailable("worker-2"))
                        .expect(code("NETWORK_UNAVAILABLE").severity(CRITICAL).evidence("nodes", "worker-2")
                                .evidence("reason", "NoRouteCreated").says("1 of 3 nodes", "network-unavailable taint"))
                        .absent("CNI_POD_NOT_READY").build(),
                proxy("kube-proxy-healthy", "kube-proxy Ready on 3 nodes, each /healthz 200 with rules synced a second ago")
                        .breaks(lab -> {
                            lab.network().kubeProxyConfig("");
                            lab.network().kubeProxyServing();
                        })
                        .healthy().metrics("kube_proxy_pods_ready", "kube_proxy_healthz_answered", "kube_proxy_sync_age_seconds")
                        .build(),
                proxy("kube-proxy-stale", "kube-proxy (ipvs) on worker-1 lost its API watch 3 minutes ago: pod Ready, "
                        + "/healthz 503")
                        .breaks(lab -> {
                            lab.network().kubeProxyConfig("ipvs");
                            lab.network().kubeProxyStale("worker-1", Duration.ofMinutes(3));
                        })
                        .expect(code("KUBE_PROXY_UNHEALTHY").severity(CRITICAL).evidence("node", "worker-1")
                                .evidence("status", 503).evidence("mode", "ipvs").evidence("address", "127.0.0.12")
                                .says("answers /healthz 503", "before its current time"))
                        .build(),
                proxy("kube-proxy-crashloop", "kube-proxy on worker-2 crash-loops; the DaemonSet has 2 of 3 Ready")
                        .breaks(lab -> {
                            lab.network().kubeProxyConfig("");
                            lab.network().kubeProxyCrashing("worker-2");
                        })
                        .expect(code("KUBE_PROXY_UNHEALTHY").severity(CRITICAL).evidence("daemonset", "kube-system/kube-proxy")
                                .evidence("ready", 2).evidence("mode", "iptables (default)")
                                .says("kube-proxy-worker-2 on worker-2 (CrashLoopBackOff, 5 restarts)"))
                        .build(),
                nodeRules("kube-proxy-rules-present", "the node's nat table holds kube-proxy's rule for every Service "
                        + "with endpoints (a headless Service has none, one without endpoints a filter REJECT)")
                        .breaks(lab -> lab.network().kubeProxyProgrammed())
                        .healthy().metrics("kube_proxy_service_ports_expected", "kube_proxy_service_ports_without_rule")
                        .build(),
                nodeRules("kube-proxy-rule-deleted", "a firewall script deleted the KUBE-SERVICES jump of shop/web; "
                        + "kube-proxy rewrites only changed Services, so it stays gone")
                        .breaks(lab -> lab.network().serviceRuleDeleted("shop/web:http"))
                        .expect(code("SERVICE_RULES_MISSING").severity(CRITICAL).evidence("missing_count", 1)
                                .evidence("expected", 2).evidence("missing", "shop/web:http (10.96.12.34:80/tcp)")
                                .evidence("reads", 2).says("1 of 2 Service ports", "cluster IP"))
                        .absent("KUBE_PROXY_UNHEALTHY").build(),
                nodeRules("kube-proxy-nat-flushed", "a firewall reload flushed the node's nat table (iptables -t nat -F)")
                        .breaks(lab -> lab.network().natFlushed())
                        .expect(code("SERVICE_RULES_MISSING").severity(CRITICAL).evidence("missing_count", 2)
                                .evidence("kube_services_rules", 0).says("2 of 2 Service ports", "default/kubernetes:https",
                                        "empty or absent"))
                        .absent("KUBE_PROXY_UNHEALTHY").build(),
                nodeOverSsh("kube-proxy-node-no-privilege", "node=ssh:// as the ordinary monitoring user, without the "
                        + "sudoers rule or sudo=true: iptables-save needs CAP_NET_ADMIN", HostKey.KNOWN)
                        .expect(code("PERMISSION_DENIED").severity(UNKNOWN).says("CAP_NET_ADMIN", "sudo=true")).build(),
                nodeOverSsh("kube-proxy-node-host-key-changed", "the node's SSH host key is not the one pinned in "
                        + "known_hosts", HostKey.CHANGED)
                        .expect(code("SSH_HOST_KEY_CHANGED").severity(UNKNOWN).says("ssh-keygen -R")).build(),
                nodeOverSsh("kube-proxy-node-host-key-unknown", "the node is not in known_hosts yet", HostKey.UNKNOWN)
                        .expect(code("SSH_HOST_KEY_UNKNOWN").severity(UNKNOWN).says("ssh-keyscan")).build());
    }

    private static Scenario.Builder<KubernetesLab> cni(String id, String story) {
        return Scenario.<KubernetesLab>of(id, story).checks(CNI).target(KubernetesLab::targetUri)
                .onlyOn(KubernetesScenarios.V132);
    }

    /** k8s-kube-proxy also reading the node's rules: node=local: inside the lab's node namespace, as root. */
    private static Scenario.Builder<KubernetesLab> nodeRules(String id, String story) {
        return proxy(id, story).param("node", "local:").param("netns", lab -> lab.network().nodeNetns())
                .param("confirm-after", "300ms");
    }

    /** k8s-kube-proxy reading a node over ssh:// (this machine, the host lab's test user and key). */
    private static Scenario.Builder<KubernetesLab> nodeOverSsh(String id, String story, HostKey pinned) {
        return proxy(id, story).breaks(lab -> {
            lab.network().kubeProxyConfig("");
            lab.network().kubeProxyServing();
        }).param("node", lab -> lab.network().nodeSsh(pinned)).password(lab -> lab.network().nodeSshPassphrase())
                .timeout(Duration.ofSeconds(20));
    }

    private static Scenario.Builder<KubernetesLab> proxy(String id, String story) {
        return Scenario.<KubernetesLab>of(id, story).checks(PROXY).target(KubernetesLab::targetUri)
                .param("healthz-port", lab -> String.valueOf(lab.network().healthzPort()))
                .onlyOn(KubernetesScenarios.V132);
    }
}
