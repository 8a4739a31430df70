package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.podCondition;
import static io.opsdoc.lab.kubernetes.KubeObjects.resources;
import static io.opsdoc.lab.kubernetes.KubeObjects.runningStatus;
import static io.opsdoc.lab.kubernetes.KubeObjects.suffix;
import static io.opsdoc.lab.kubernetes.KubeObjects.ts;
import static io.opsdoc.lab.kubernetes.KubernetesLab.NODES;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster network: a CNI agent DaemonSet (Flannel with its kube-flannel-cfg, or Calico) as its upstream manifest
 * creates it, agent pods that crash or stay unready, the kube-proxy ConfigMap, and kube-proxy's /healthz on each
 * node ({@link KubeProxyHealthz}) with the nodes' InternalIPs pointing at it.
 */
public final class NetworkFaults {
    static final String FLANNEL_NAMESPACE = "kube-flannel";
    private static final String FLANNEL_IMAGE = "docker.io/flannel/flannel:v0.26.1";
    private static final String CALICO_IMAGE = "docker.io/calico/node:v3.28.2";
    private final KubernetesLab lab;
    private KubeProxyHealthz healthz;
    /** A network namespace standing in for a node's, holding kube-proxy's rules; created on first use. */
    private io.opsdoc.lab.host.LabNetns node;
    /** ssh:// to this machine as the host lab's ordinary test user (a node reached without privilege). */
    private io.opsdoc.lab.host.LabSshAccess ssh;
    private java.nio.file.Path sshDir;

    NetworkFaults(KubernetesLab lab) {
        this.lab = lab;
    }

    /**
     * Flannel as kube-flannel.yml installs it: DaemonSet kube-flannel/kube-flannel-ds with one Ready pod per node,
     * ConfigMap kube-flannel-cfg whose net-conf.json names {@code backend} (vxlan upstream), nodes annotated with it.
     */
    public void flannel(String backend) {
        Instant now = Instant.now();
        lab.put(new ConfigMapBuilder().withNewMetadata().withName("kube-flannel-cfg").withNamespace(FLANNEL_NAMESPACE)
                .addToLabels("app", "flannel").addToLabels("k8s-app", "flannel").addToLabels("tier", "node").endMetadata()
                .addToData("cni-conf.json", "{\n  \"name\": \"cbr0\",\n  \"cniVersion\": \"0.3.1\",\n  \"plugins\": [\n"
                        + "    {\n      \"type\": \"flannel\",\n      \"delegate\": {\n        \"hairpinMode\": true,\n"
                        + "        \"isDefaultGateway\": true\n      }\n    },\n    {\n      \"type\": \"portmap\",\n"
                        + "      \"capabilities\": {\n        \"portMappings\": true\n      }\n    }\n  ]\n}\n")
                .addToData("net-conf.json", "{\n  \"Network\": \"10.244.0.0/16\",\n  \"EnableNFTables\": false,\n"
                        + "  \"Backend\": {\n    \"Type\": \"" + backend + "\"\n  }\n}\n")
                .build());
        Map<String, String> labels = new LinkedHashMap<>(Map.of("app", "flannel", "k8s-app", "flannel", "tier", "node"));
        lab.put(agentSet(FLANNEL_NAMESPACE, "kube-flannel-ds", FLANNEL_IMAGE, labels, NODES.size(), now));
        for (int i = 0; i < NODES.size(); i++) {
            lab.put(agentPod(FLANNEL_NAMESPACE, "kube-flannel-ds-" + suffix(i), "kube-flannel-ds", "kube-flannel",
                    FLANNEL_IMAGE, labels, NODES.get(i), now, true));
            Node n = lab.client().nodes().withName(NODES.get(i)).get();
            Map<String, String> annotations = new LinkedHashMap<>(n.getMetadata().getAnnotations() == null ? Map.of()
                    : n.getMetadata().getAnnotations());
            annotations.put("flannel.alpha.coreos.com/backend-type", backend);
            annotations.put("flannel.alpha.coreos.com/public-ip", "10.0.0." + (10 + i));
            n.getMetadata().setAnnotations(annotations);
            lab.replace(n);
        }
    }

    /**
     * flanneld on {@code node} exits at start ("Failed to create SubnetManager": it cannot reach the API server):
     * restarted 7 times, waiting in CrashLoopBackOff; the DaemonSet counts one pod fewer Ready.
     */
    public void flannelCrashing(String node) {
        Instant now = Instant.now();
        String name = "kube-flannel-ds-" + suffix(NODES.indexOf(node));
        Pod p = lab.client().pods().inNamespace(FLANNEL_NAMESPACE).withName(name).get();
        p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("kube-flannel")
                .withImage(FLANNEL_IMAGE).withReady(false).withStarted(false).withRestartCount(7)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 5m0s restarting "
                        + "failed container=kube-flannel pod=" + name + "_kube-flannel(" + name + ")").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1)
                .withStartedAt(ts(now.minusSeconds(95))).withFinishedAt(ts(now.minusSeconds(94))).endTerminated()
                .endLastState().build()));
        notReady(p, now.minus(14, ChronoUnit.MINUTES));
        DaemonSet ds = lab.client().apps().daemonSets().inNamespace(FLANNEL_NAMESPACE).withName("kube-flannel-ds").get();
        lessReady(ds);
    }

    /**
     * Calico as calico.yaml installs it (DaemonSet kube-system/calico-node), and the calico-node pod on {@code node}
     * Running but not Ready: its readiness probe (calico-node -bird-ready -felix-ready) fails because BIRD has no
     * established BGP session, the API's view of a BGP peer that is down.
     */
    public void calicoNodeNotReady(String node) {
        Instant now = Instant.now();
        Map<String, String> labels = new LinkedHashMap<>(Map.of("k8s-app", "calico-node"));
        DaemonSet ds = agentSet("kube-system", "calico-node", CALICO_IMAGE, labels, NODES.size(), now);
        ds.getStatus().setNumberReady(NODES.size() - 1);
        ds.getStatus().setNumberAvailable(NODES.size() - 1);
        ds.getStatus().setNumberUnavailable(1);
        lab.put(ds);
        for (int i = 0; i < NODES.size(); i++) {
            boolean ready = !NODES.get(i).equals(node);
            lab.put(agentPod("kube-system", "calico-node-" + suffix(i + 1), "calico-node", "calico-node", CALICO_IMAGE,
                    labels, NODES.get(i), now, ready));
        }
    }

    /** ConfigMap kube-system/kube-proxy as kubeadm writes it, config.conf with {@code mode} ("" = the iptables default). */
    public void kubeProxyConfig(String mode) {
        String conf = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nbindAddress: 0.0.0.0\nclientConnection:\n"
                + "  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf\nclusterCIDR: 10.244.0.0/16\n"
                + "healthzBindAddress: 0.0.0.0:10256\nkind: KubeProxyConfiguration\nmetricsBindAddress: 127.0.0.1:10249\n"
                + "mode: \"" + mode + "\"\n";
        lab.put(new ConfigMapBuilder().withNewMetadata().withName("kube-proxy").withNamespace("kube-system")
                .addToLabels("app", "kube-proxy").endMetadata().addToData("config.conf", conf).build());
    }

    /**
     * Each node's kube-proxy health server answering on its InternalIP (127.0.0.11-13 here, written into the nodes'
     * status.addresses as the kubelet reports them), all synced.
     */
    public void kubeProxyServing() {
        healthzPort();
        for (int i = 0; i < NODES.size(); i++) {
            Node n = lab.client().nodes().withName(NODES.get(i)).get();
            n.getStatus().setAddresses(List.of(
                    new NodeAddressBuilder().withType("InternalIP").withAddress(KubeProxyHealthz.address(i)).build(),
                    new NodeAddressBuilder().withType("Hostname").withAddress(NODES.get(i)).build()));
            lab.replace(n);
        }
    }

    /**
     * kube-proxy on {@code node} last synced its rules {@code ago} and is stuck (it lost its watch on the API server):
     * its pod stays Running and Ready (the kubeadm DaemonSet has no probe), its /healthz answers 503.
     */
    public void kubeProxyStale(String node, Duration ago) {
        kubeProxyServing();
        healthz.stale(node, Instant.now().minus(ago));
    }

    /** kube-proxy's pod on {@code node} crash-loops (e.g. its ConfigMap names a mode the kernel cannot do). */
    public void kubeProxyCrashing(String node) {
        Instant now = Instant.now();
        Pod p = lab.client().pods().inNamespace("kube-system").withName("kube-proxy-" + node).get();
        String image = p.getSpec().getContainers().get(0).getImage();
        p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("kube-proxy").withImage(image)
                .withReady(false).withStarted(false).withRestartCount(5).withNewState().withNewWaiting()
                .withReason("CrashLoopBackOff").withMessage("back-off 2m40s restarting failed container=kube-proxy pod=kube-proxy-"
                        + node + "_kube-system(" + node + ")").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1)
                .withStartedAt(ts(now.minusSeconds(45))).withFinishedAt(ts(now.minusSeconds(44))).endTerminated()
                .endLastState().build()));
        notReady(p, now.minus(6, ChronoUnit.MINUTES));
        lessReady(lab.client().apps().daemonSets().inNamespace("kube-system").withName("kube-proxy").get());
    }

    /** The port every node's kube-proxy stand-in listens on (starts them on first use). */
    public synchronized int healthzPort() {
        if (healthz == null) {
            healthz = KubeProxyHealthz.start(NODES);
        }
        return healthz.port();
    }

    /** node=ssh:// to this machine as an ordinary user pinning {@code key} (starts the sshd on first use). */
    public synchronized String nodeSsh(io.opsdoc.lab.host.LabSshAccess.HostKey key) {
        if (ssh == null) {
            sshDir = io.opsdoc.lab.support.LabFiles.tempDir("opsdoc-k8s-node-ssh-");
            ssh = new io.opsdoc.lab.host.LabSshAccess(sshDir);
        }
        return ssh.target(key);
    }

    /** The ssh test user's key passphrase: the check's password. */
    public synchronized String nodeSshPassphrase() {
        nodeSsh(io.opsdoc.lab.host.LabSshAccess.HostKey.KNOWN);
        return ssh.passphrase();
    }

    /** The node namespace's name, for k8s-kube-proxy's netns (creates it on first use). */
    public synchronized String nodeNetns() {
        if (node == null) {
            node = io.opsdoc.lab.host.LabNetns.create();
        }
        return node.name();
    }

    /**
     * kube-proxy (iptables mode, kubeadm ConfigMap, /healthz serving) has programmed the node for every Service:
     * besides the healthy cluster's shop/web (3 ready pods) and shop/db (headless: no rules), default/kubernetes (the
     * API server, one endpoint) and shop/legacy, whose selector matches no pod (a REJECT in filter, no nat rule).
     * The rules are rendered from the API objects ({@link KubeProxyRules}) and loaded with iptables-restore.
     */
    public void kubeProxyProgrammed() {
        kubeProxyConfig("");
        kubeProxyServing();
        lab.put(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("kubernetes")
                .withNamespace("default").addToLabels("component", "apiserver").addToLabels("provider", "kubernetes")
                .endMetadata().withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.1").withClusterIPs("10.96.0.1")
                .addNewPort().withName("https").withPort(443).withProtocol("TCP")
                .withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString(6443)).endPort()
                .withSessionAffinity("None").endSpec().build());
        lab.put(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder().withNewMetadata()
                .withName("kubernetes").withNamespace("default").addToLabels(ServiceObjects.SERVICE_NAME_LABEL, "kubernetes")
                .endMetadata().withAddressType("IPv4").addNewEndpoint().withAddresses("10.0.0.10").withNewConditions()
                .withReady(true).withServing(true).withTerminating(false).endConditions().endEndpoint()
                .addNewPort().withName("https").withPort(6443).withProtocol("TCP").endPort().build());
        lab.put(ServiceObjects.service("legacy", "legacy", "10.96.50.1", "http", 80, "http"));
        lab.put(ServiceObjects.slice("legacy", "h2k9x", List.of(), "http", 8080));
        String rules = KubeProxyRules.render(lab.client().services().inAnyNamespace().list().getItems(),
                lab.client().discovery().v1().endpointSlices().inAnyNamespace().list().getItems());
        java.nio.file.Path file = lab.writeFile("kube-proxy-rules.txt", rules);
        io.opsdoc.lab.host.Commands.run("ip", "netns", "exec", nodeNetns(), "iptables-restore", file.toString());
        awaitNat("kube-proxy's rules loaded", save -> save.contains("-A KUBE-SERVICES -d 10.96.12.34/32"));
    }

    /**
     * A firewall script deleted the nat KUBE-SERVICES jump of {@code servicePort} ("shop/web:http"); kube-proxy
     * 1.28+ rewrites only the chains of Services that changed, so the rule stays gone until its hourly full sync.
     */
    public void serviceRuleDeleted(String servicePort) {
        kubeProxyProgrammed();
        String marker = "/* " + servicePort + " cluster IP */";
        String listing = io.opsdoc.lab.host.Commands.run("ip", "netns", "exec", node.name(), "iptables", "-t", "nat",
                "-L", "KUBE-SERVICES", "-n", "--line-numbers");
        String number = listing.lines().filter(l -> l.contains(marker)).map(l -> l.strip().split("\\s+")[0]).findFirst()
                .orElseThrow(() -> new IllegalStateException("no KUBE-SERVICES rule for " + servicePort + ":\n" + listing));
        io.opsdoc.lab.host.Commands.run("ip", "netns", "exec", node.name(), "iptables", "-t", "nat", "-D",
                "KUBE-SERVICES", number);
        awaitNat("the rule of " + servicePort + " gone", save -> save.lines().noneMatch(l -> l.startsWith("-A KUBE-SERVICES ")
                && l.contains("\"" + servicePort + " cluster IP\"")));
    }

    /** A firewall reload flushed the node's nat table (iptables -t nat -F): every Service rule is gone. */
    public void natFlushed() {
        kubeProxyProgrammed();
        io.opsdoc.lab.host.Commands.run("ip", "netns", "exec", node.name(), "iptables", "-t", "nat", "-F");
        awaitNat("the nat table empty", save -> !save.contains("-A KUBE-SERVICES"));
    }

    private void awaitNat(String what, java.util.function.Predicate<String> condition) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> condition.test(io.opsdoc.lab.host.Commands.run("ip", "netns", "exec", node.name(),
                        "iptables-save", "-t", "nat")));
    }

    synchronized void heal() {
        if (healthz != null) {
            healthz.heal();
        }
        if (node != null) {
            // an empty restore of both tables flushes them and deletes kube-proxy's chains
            java.nio.file.Path empty = lab.writeFile("no-rules.txt", "*filter\nCOMMIT\n*nat\nCOMMIT\n");
            io.opsdoc.lab.host.Commands.run("ip", "netns", "exec", node.name(), "iptables-restore", empty.toString());
        }
    }

    synchronized void close() {
        if (healthz != null) {
            healthz.close();
        }
        if (node != null) {
            node.close();
        }
        if (ssh != null) {
            ssh.close();
            io.opsdoc.lab.support.LabFiles.deleteRecursively(sshDir);
        }
    }

    private void notReady(Pod p, Instant since) {
        List<PodCondition> conditions = new ArrayList<>();
        for (PodCondition c : p.getStatus().getConditions()) {
            conditions.add(c.getType().equals("Ready") || c.getType().equals("ContainersReady")
                    ? podCondition(c.getType(), "False", since) : c);
        }
        p.getStatus().setConditions(conditions);
        lab.replace(p);
    }

    private void lessReady(DaemonSet ds) {
        int ready = ds.getStatus().getNumberReady() - 1;
        ds.getStatus().setNumberReady(ready);
        ds.getStatus().setNumberAvailable(ready);
        ds.getStatus().setNumberUnavailable(ds.getStatus().getDesiredNumberScheduled() - ready);
        lab.replace(ds);
    }

    private static DaemonSet agentSet(String ns, String name, String image, Map<String, String> labels, int nodes, Instant now) {
        return new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace(ns).withGeneration(1L)
                .withCreationTimestamp(ts(now.minus(60, ChronoUnit.DAYS))).withLabels(labels).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withHostNetwork(true).withPriorityClassName("system-node-critical")
                .withContainers(new ContainerBuilder().withName(name.startsWith("kube-flannel") ? "kube-flannel" : name)
                        .withImage(image).withResources(resources("100m", "50Mi", null, null)).build())
                .withTolerations(new TolerationBuilder().withOperator("Exists").withEffect("NoSchedule").build())
                .endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withDesiredNumberScheduled(nodes).withCurrentNumberScheduled(nodes)
                .withNumberReady(nodes).withNumberAvailable(nodes).withUpdatedNumberScheduled(nodes).withNumberMisscheduled(0)
                .endStatus().build();
    }

    private static Pod agentPod(String ns, String name, String owner, String container, String image,
            Map<String, String> labels, String node, Instant now, boolean ready) {
        Instant created = now.minus(60, ChronoUnit.DAYS);
        var c = new ContainerBuilder().withName(container).withImage(image).withResources(resources("100m", "50Mi", null, null)).build();
        var status = runningStatus(container, image, 0, created);
        if (!ready) {
            status.setReady(false);
        }
        Pod p = KubeObjects.pod(ns, name, "DaemonSet", owner, null, node, created, List.of(c), List.of(status), "Running",
                ready, List.of(new TolerationBuilder().withOperator("Exists").withEffect("NoSchedule").build()));
        p.getMetadata().setLabels(new LinkedHashMap<>(labels));
        return p;
    }
}
