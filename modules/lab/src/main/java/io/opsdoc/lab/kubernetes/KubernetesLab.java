package io.opsdoc.lab.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes API server stand-in on loopback (the Fabric8 mock server in CRUD mode, plain HTTP) holding a small
 * cluster, plus named fault builders.
 *
 * <p>Nothing runs behind the API here: no kubelet renews Leases, no controller taints nodes. So each fault builder
 * writes the objects exactly as the real components would have left them at that moment, timestamps included: a
 * node that lost power two minutes ago has a Lease last renewed two minutes ago, Ready=Unknown since the grace
 * period ran out (40 s before v1.32, 50 s from v1.32, as the node-lifecycle controller of that version would
 * have decided), the {@code node.kubernetes.io/unreachable} taints added at that moment, and pods carrying the
 * 300 s tolerations the DefaultTolerationSeconds admission plugin injects. {@link #heal()} puts back the healthy
 * cluster. The lab knows nothing about the checks that are run against it.
 */
public final class KubernetesLab implements AutoCloseable {
    public static final String CONTEXT = KubeconfigFile.CONTEXT;
    public static final String APP_NAMESPACE = "shop";
    public static final List<String> NODES = List.of("cp-1", "worker-1", "worker-2");
    public static final String DEFAULT_VERSION = "v1.32.2";

    private static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    private static final String CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane";
    private static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
    private static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");

    /** Held so the level sticks: the mock server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final String version;
    private final int minor;
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Path dir;
    private final Path kubeconfig;
    private final Map<String, String> kubeletVersions = new HashMap<>();

    private KubernetesLab(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Kubernetes version: " + version);
        }
        this.version = version;
        this.minor = Integer.parseInt(m.group(2));
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        VersionInfo info = new VersionInfo.Builder().withMajor(m.group(1)).withMinor(m.group(2))
                .withGitVersion(version).withPlatform("linux/amd64").build();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new PodFieldSelectorDispatcher(responses), false, info);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        client = server.createClient();
        try {
            dir = Files.createTempDirectory("opsdoc-k8s-lab");
            kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, KubeconfigFile.text(url()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            server.destroy();
            throw new UncheckedIOException("cannot write the lab kubeconfig", e);
        }
    }

    /** Starts an API server answering {@code /version} with the given version, holding a healthy cluster. */
    public static KubernetesLab start(String version) {
        KubernetesLab lab = new KubernetesLab(version);
        lab.heal();
        return lab;
    }

    public static KubernetesLab start() {
        return start(DEFAULT_VERSION);
    }

    public String version() {
        return version;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    /** A kubeconfig whose current context {@value #CONTEXT} points at this server. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** {@code k8s://opsdoc-lab?kubeconfig=...}: the lab's context, named explicitly. */
    public String targetUri() {
        return "k8s://" + CONTEXT + "?kubeconfig=" + kubeconfig;
    }

    /** The node-monitor-grace-period the node-lifecycle controller of this version uses by default. */
    public Duration gracePeriod() {
        return Duration.ofSeconds(minor >= 32 ? 50 : 40);
    }

    /** Direct API access, for tests that want to look at or add objects. */
    public KubernetesClient client() {
        return client;
    }

    // ------------------------------------------------------------------ healthy cluster

    /**
     * Deletes everything and writes a healthy cluster: one control-plane node and two workers, all Ready with
     * Leases renewed seconds ago; Deployment {@code shop/web} (3 replicas), StatefulSet {@code shop/db} (1),
     * DaemonSet {@code kube-system/kube-proxy}, each pod Running and Ready, with requests, limits and probes.
     */
    public void heal() {
        Instant now = Instant.now();
        client.pods().inAnyNamespace().delete();
        client.apps().deployments().inAnyNamespace().delete();
        client.apps().statefulSets().inAnyNamespace().delete();
        client.apps().daemonSets().inAnyNamespace().delete();
        client.resources(Lease.class).inAnyNamespace().delete();
        client.nodes().delete();
        kubeletVersions.clear();
        for (String node : NODES) {
            put(healthyNode(node, now));
            put(lease(node, now.minusSeconds(3)));
        }
        put(deployment("web", 3, 3, 3, now, true));
        for (int i = 0; i < 3; i++) {
            put(workloadPod("web", "web-7d9f8b6c4d-" + suffix(i), NODES.get(1 + i % 2), now));
        }
        put(statefulSet("db", 1, 1, now));
        put(pod(APP_NAMESPACE, "db-0", "StatefulSet", "db", null, NODES.get(1), now.minus(3, ChronoUnit.DAYS),
                List.of(appContainer("db", "postgres:16.4", true)), List.of(runningStatus("db", "postgres:16.4", 0, now.minus(3, ChronoUnit.DAYS))),
                "Running", true, defaultTolerations()));
        put(daemonSet("kube-proxy", now));
        for (String node : NODES) {
            put(daemonPod("kube-proxy-" + node, node, now));
        }
    }

    private static String suffix(int i) {
        return List.of("x2k8p", "m4q7z", "b9t3w", "h6r2n", "c5v8s").get(i % 5);
    }

    private Node healthyNode(String name, Instant now) {
        boolean controlPlane = name.startsWith("cp-");
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
                .withCreationTimestamp(ts(now.minus(30, ChronoUnit.DAYS)))
                .addToLabels("kubernetes.io/hostname", name).addToLabels("kubernetes.io/os", "linux")
                .endMetadata()
                .withNewSpec().withPodCIDR("10.244." + NODES.indexOf(name) + ".0/24").endSpec()
                .withNewStatus()
                .withConditions(healthyConditions(now))
                .addToCapacity("cpu", new Quantity("4")).addToCapacity("memory", new Quantity("16Gi"))
                .addToCapacity("pods", new Quantity("110"))
                .addToAllocatable("cpu", new Quantity("3800m")).addToAllocatable("memory", new Quantity("15Gi"))
                .addToAllocatable("pods", new Quantity("110"))
                .withNewNodeInfo().withKubeletVersion(kubeletVersions.getOrDefault(name, version))
                .withKubeProxyVersion(version).withContainerRuntimeVersion("containerd://1.7.22")
                .withOsImage("Ubuntu 24.04.1 LTS").withKernelVersion("6.8.0-45-generic").withArchitecture("amd64")
                .withOperatingSystem("linux").endNodeInfo()
                .endStatus();
        if (controlPlane) {
            b.editMetadata().addToLabels(CONTROL_PLANE_TAINT, "").endMetadata()
                    .editSpec().addToTaints(new TaintBuilder().withKey(CONTROL_PLANE_TAINT).withEffect("NoSchedule").build())
                    .endSpec();
        }
        return b.build();
    }

    private static List<NodeCondition> healthyConditions(Instant now) {
        Instant heartbeat = now.minusSeconds(20);
        Instant since = now.minus(30, ChronoUnit.DAYS);
        return List.of(
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", heartbeat, since),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", heartbeat, since),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", heartbeat, since),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", heartbeat, since),
                condition("NetworkUnavailable", "False", "RouteCreated", "RouteController created a route", since, since));
    }

    private static NodeCondition condition(String type, String status, String reason, String message, Instant heartbeat,
            Instant transition) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(ts(heartbeat)).withLastTransitionTime(ts(transition)).build();
    }

    private static Lease lease(String node, Instant renewed) {
        return new LeaseBuilder().withNewMetadata().withName(node).withNamespace(NODE_LEASE_NAMESPACE).endMetadata()
                .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(40)
                .withRenewTime(ZonedDateTime.ofInstant(renewed.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC)).endSpec()
                .build();
    }

    // ------------------------------------------------------------------ node faults

    /**
     * The machine lost power or its network {@code since} ago: the kubelet stopped renewing its Lease then; once the
     * grace period ran out the node-lifecycle controller set every condition to Unknown (reason NodeStatusUnknown)
     * and added the unreachable taints (NoSchedule and NoExecute) with that time. Pods on the node keep their
     * Running phase but turn not Ready, as the controller marks them.
     */
    public void nodeUnreachable(String node, Duration since) {
        Instant now = Instant.now();
        Instant lastRenew = now.minus(since);
        Instant noticed = lastRenew.plus(gracePeriod());
        Node n = client.nodes().withName(node).get();
        List<NodeCondition> conditions = new ArrayList<>();
        for (NodeCondition c : n.getStatus().getConditions()) {
            if (c.getType().equals("NetworkUnavailable")) {
                conditions.add(c);
                continue;
            }
            String message = "Kubelet stopped posting node status.";
            // the last status the kubelet posted is at most nodeStatusReportFrequency (5 min) older than its last renew
            conditions.add(condition(c.getType(), "Unknown", "NodeStatusUnknown", message,
                    lastRenew.minusSeconds(40), noticed.isAfter(now) ? now : noticed));
        }
        n.getStatus().setConditions(conditions);
        List<Taint> taints = new ArrayList<>(otherTaints(n));
        if (!noticed.isAfter(now)) {
            taints.add(taint(UNREACHABLE_TAINT, "NoSchedule", noticed));
            taints.add(taint(UNREACHABLE_TAINT, "NoExecute", noticed));
        }
        n.getSpec().setTaints(taints);
        replace(n);
        replace(lease(node, lastRenew));
        markPodsNotReady(node, noticed);
    }

    /**
     * The kubelet runs and renews its Lease, but reports Ready=False: here the container runtime's network is not
     * ready because the CNI plugin is not initialised (reason KubeletNotReady, the kubelet's own message). The
     * controller adds the not-ready taints.
     */
    public void nodeNotReady(String node, Duration since) {
        nodeNotReady(node, since, "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
                + "message:Network plugin returns error: cni plugin not initialized");
    }

    public void nodeNotReady(String node, Duration since, String kubeletMessage) {
        Instant now = Instant.now();
        Instant from = now.minus(since);
        Node n = client.nodes().withName(node).get();
        List<NodeCondition> conditions = new ArrayList<>();
        for (NodeCondition c : n.getStatus().getConditions()) {
            conditions.add(c.getType().equals("Ready")
                    ? condition("Ready", "False", "KubeletNotReady", kubeletMessage, now.minusSeconds(10), from)
                    : c);
        }
        n.getStatus().setConditions(conditions);
        List<Taint> taints = new ArrayList<>(otherTaints(n));
        taints.add(taint(NOT_READY_TAINT, "NoSchedule", from));
        taints.add(taint(NOT_READY_TAINT, "NoExecute", from));
        n.getSpec().setTaints(taints);
        replace(n);
        replace(lease(node, now.minusSeconds(4)));
        markPodsNotReady(node, from);
    }

    /**
     * The kubelet stopped renewing its Lease {@code since} ago but the node is still Ready=True: nothing has acted,
     * as when kube-controller-manager (the node-lifecycle controller) is down or has lost its leader election.
     */
    public void leaseStale(String node, Duration since) {
        replace(lease(node, Instant.now().minus(since)));
    }

    /** The kubelet reports memory, disk or PID pressure ({@code MemoryPressure}, {@code DiskPressure}, {@code PIDPressure}). */
    public void nodePressure(String node, String conditionType, Duration since) {
        Map<String, String[]> how = Map.of(
                "MemoryPressure", new String[] {"KubeletHasInsufficientMemory", "kubelet has insufficient memory available", "node.kubernetes.io/memory-pressure"},
                "DiskPressure", new String[] {"KubeletHasDiskPressure", "kubelet has disk pressure", "node.kubernetes.io/disk-pressure"},
                "PIDPressure", new String[] {"KubeletHasInsufficientPID", "kubelet has insufficient PID available", "node.kubernetes.io/pid-pressure"});
        String[] h = how.get(conditionType);
        if (h == null) {
            throw new IllegalArgumentException("not a pressure condition: " + conditionType);
        }
        Instant now = Instant.now();
        Node n = client.nodes().withName(node).get();
        List<NodeCondition> conditions = new ArrayList<>();
        for (NodeCondition c : n.getStatus().getConditions()) {
            conditions.add(c.getType().equals(conditionType)
                    ? condition(conditionType, "True", h[0], h[1], now.minusSeconds(10), now.minus(since)) : c);
        }
        n.getStatus().setConditions(conditions);
        List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
        taints.add(taint(h[2], "NoSchedule", now.minus(since)));
        n.getSpec().setTaints(taints);
        replace(n);
    }

    /** The network plugin has not configured routes for the node (NetworkUnavailable=True). */
    public void networkUnavailable(String node) {
        Instant now = Instant.now();
        Node n = client.nodes().withName(node).get();
        List<NodeCondition> conditions = new ArrayList<>();
        for (NodeCondition c : n.getStatus().getConditions()) {
            conditions.add(c.getType().equals("NetworkUnavailable")
                    ? condition("NetworkUnavailable", "True", "NoRouteCreated", "Node created without a route",
                            now.minusSeconds(90), now.minusSeconds(90)) : c);
        }
        n.getStatus().setConditions(conditions);
        List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
        taints.add(taint("node.kubernetes.io/network-unavailable", "NoSchedule", now.minusSeconds(90)));
        n.getSpec().setTaints(taints);
        replace(n);
    }

    /** {@code kubectl cordon} ran {@code since} ago: spec.unschedulable and the unschedulable taint. */
    public void cordon(String node, Duration since) {
        Node n = client.nodes().withName(node).get();
        n.getSpec().setUnschedulable(true);
        List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
        taints.add(taint("node.kubernetes.io/unschedulable", "NoSchedule", Instant.now().minus(since)));
        n.getSpec().setTaints(taints);
        replace(n);
    }

    /** The node's kubelet runs another version than the API server (an upgrade left it behind, or ahead). */
    public void kubeletVersion(String node, String kubeletVersion) {
        kubeletVersions.put(node, kubeletVersion);
        Node n = client.nodes().withName(node).get();
        n.getStatus().getNodeInfo().setKubeletVersion(kubeletVersion);
        replace(n);
    }

    private static List<Taint> otherTaints(Node n) {
        List<Taint> out = new ArrayList<>();
        if (n.getSpec().getTaints() != null) {
            n.getSpec().getTaints().stream()
                    .filter(t -> !t.getKey().equals(NOT_READY_TAINT) && !t.getKey().equals(UNREACHABLE_TAINT))
                    .forEach(out::add);
        }
        return out;
    }

    private static Taint taint(String key, String effect, Instant added) {
        return new TaintBuilder().withKey(key).withEffect(effect).withTimeAdded(ts(added)).build();
    }

    private void markPodsNotReady(String node, Instant when) {
        for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
            if (!node.equals(p.getSpec().getNodeName())) {
                continue;
            }
            List<PodCondition> conditions = new ArrayList<>();
            for (PodCondition c : p.getStatus().getConditions()) {
                conditions.add(c.getType().equals("Ready") || c.getType().equals("ContainersReady")
                        ? new PodConditionBuilder(c).withStatus("False").withReason("NodeNotReady")
                                .withLastTransitionTime(ts(when)).build()
                        : c);
            }
            p.getStatus().setConditions(conditions);
            replace(p);
        }
    }

    // ------------------------------------------------------------------ workload faults

    /**
     * Deployment {@code shop/checkout} whose only container exits with status 1 at start (a missing configuration
     * value): restarted {@code restarts} times, now waiting in CrashLoopBackOff, never Ready.
     */
    public void crashLoop(int restarts) {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/checkout:2.3.0";
        put(deployment("checkout", 2, 0, 0, now.minus(20, ChronoUnit.MINUTES), true, image));
        for (int i = 0; i < 2; i++) {
            ContainerStatus s = new ContainerStatusBuilder().withName("checkout").withImage(image)
                    .withImageID("registry.example.com/shop/checkout@sha256:1f2e").withReady(false).withStarted(false)
                    .withRestartCount(restarts)
                    .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                    .withMessage("back-off 5m0s restarting failed container=checkout pod=checkout-5f6d7c8b9-" + suffix(i)
                            + "_shop(" + i + ")").endWaiting().endState()
                    .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1)
                    .withStartedAt(ts(now.minusSeconds(75))).withFinishedAt(ts(now.minusSeconds(74)))
                    .withContainerID("containerd://9a8b" + i).endTerminated().endLastState()
                    .build();
            put(pod(APP_NAMESPACE, "checkout-5f6d7c8b9-" + suffix(i), "ReplicaSet", "checkout-5f6d7c8b9", "5f6d7c8b9",
                    NODES.get(1 + i % 2), now.minus(20, ChronoUnit.MINUTES), List.of(appContainer("checkout", image, true)),
                    List.of(s), "Running", false, defaultTolerations()));
        }
    }

    /**
     * Deployment {@code shop/worker} whose container is Running right now but has been restarted {@code restarts}
     * times, the last time {@code lastExitAgo} ago (exit code 2): between crashes, so not in back-off this instant.
     */
    public void restartingOften(int restarts, Duration lastExitAgo) {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/worker:1.9.1";
        Instant started = now.minus(lastExitAgo);
        put(deployment("worker", 1, 1, 1, now.minus(1, ChronoUnit.HOURS), true, image));
        ContainerStatus s = new ContainerStatusBuilder().withName("worker").withImage(image).withReady(true)
                .withStarted(true).withRestartCount(restarts)
                .withNewState().withNewRunning().withStartedAt(ts(started)).endRunning().endState()
                .withNewLastState().withNewTerminated().withReason("Error").withExitCode(2)
                .withStartedAt(ts(started.minusSeconds(30))).withFinishedAt(ts(started.minusSeconds(1)))
                .endTerminated().endLastState().build();
        put(pod(APP_NAMESPACE, "worker-6c7d8e9f0-" + suffix(0), "ReplicaSet", "worker-6c7d8e9f0", "6c7d8e9f0", NODES.get(1),
                now.minus(1, ChronoUnit.HOURS), List.of(appContainer("worker", image, true)), List.of(s), "Running", true,
                defaultTolerations()));
    }

    /**
     * Deployment {@code shop/api} rolled out with an image tag that does not exist in the registry: its new pod waits
     * in ImagePullBackOff (reason and message as the kubelet writes them), pull policy IfNotPresent.
     */
    public void imagePullBackOff() {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/api:1.4.3";
        put(deployment("api", 1, 0, 0, now.minus(6, ChronoUnit.MINUTES), true, image));
        ContainerStatus s = new ContainerStatusBuilder().withName("api").withImage(image).withImageID("").withReady(false)
                .withStarted(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"" + image + "\": ErrImagePull: rpc error: code = NotFound desc = "
                        + "failed to pull and unpack image \"" + image + "\": failed to resolve reference \"" + image
                        + "\": " + image + ": not found")
                .endWaiting().endState().build();
        put(pod(APP_NAMESPACE, "api-7b8c9d0e1-" + suffix(0), "ReplicaSet", "api-7b8c9d0e1", "7b8c9d0e1", NODES.get(2),
                now.minus(6, ChronoUnit.MINUTES), List.of(appContainer("api", image, true)), List.of(s), "Pending", false,
                defaultTolerations()));
    }

    /**
     * Deployment {@code shop/search} requests 48Gi of memory per pod, more than any node's allocatable: the scheduler
     * leaves the pod Pending with PodScheduled=False, reason Unschedulable, and its FailedScheduling message.
     */
    public void unschedulable() {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/search:8.15.0";
        Deployment d = deployment("search", 1, 0, 0, now.minus(12, ChronoUnit.MINUTES), true, image);
        ResourceRequirements big = resources("2", "48Gi", "4", "48Gi");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(big);
        put(d);
        var c = appContainer("search", image, true);
        c.setResources(big);
        Pod p = pod(APP_NAMESPACE, "search-8c9d0e1f2-" + suffix(0), "ReplicaSet", "search-8c9d0e1f2", "8c9d0e1f2", null,
                now.minus(12, ChronoUnit.MINUTES), List.of(c), List.of(), "Pending", false, defaultTolerations());
        p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
                        + "2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for "
                        + "scheduling, 2 No preemption victims found for incoming pod.")
                .withLastTransitionTime(ts(now.minus(12, ChronoUnit.MINUTES))).build()));
        p.getStatus().setQosClass("Guaranteed");
        put(p);
    }

    /**
     * Deployment {@code shop/cache} with a 128Mi memory limit its process outgrows: the kernel OOM killer ends it
     * (exit code 137, last state OOMKilled) and the kubelet restarts it; it is Running again for now.
     */
    public void oomKilled() {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/cache:3.1.0";
        Deployment d = deployment("cache", 1, 1, 1, now.minus(2, ChronoUnit.HOURS), true, image);
        ResourceRequirements small = resources("100m", "128Mi", "500m", "128Mi");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(small);
        put(d);
        var c = appContainer("cache", image, true);
        c.setResources(small);
        ContainerStatus s = new ContainerStatusBuilder().withName("cache").withImage(image).withReady(true)
                .withStarted(true).withRestartCount(3)
                .withNewState().withNewRunning().withStartedAt(ts(now.minus(9, ChronoUnit.MINUTES))).endRunning().endState()
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withStartedAt(ts(now.minus(31, ChronoUnit.MINUTES))).withFinishedAt(ts(now.minus(9, ChronoUnit.MINUTES).minusSeconds(2)))
                .endTerminated().endLastState().build();
        Pod p = pod(APP_NAMESPACE, "cache-9d0e1f2a3-" + suffix(0), "ReplicaSet", "cache-9d0e1f2a3", "9d0e1f2a3", NODES.get(2),
                now.minus(2, ChronoUnit.HOURS), List.of(c), List.of(s), "Running", true, defaultTolerations());
        p.getStatus().setQosClass("Burstable");
        put(p);
    }

    /** Deployment {@code shop/reports} whose containers declare no requests and no limits: QoS class BestEffort. */
    public void bestEffort() {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/reports:0.8.2";
        Deployment d = deployment("reports", 1, 1, 1, now.minus(1, ChronoUnit.DAYS), true, image);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(new ResourceRequirements());
        put(d);
        var c = appContainer("reports", image, true);
        c.setResources(new ResourceRequirements());
        Pod p = pod(APP_NAMESPACE, "reports-0e1f2a3b4-" + suffix(0), "ReplicaSet", "reports-0e1f2a3b4", "0e1f2a3b4",
                NODES.get(1), now.minus(1, ChronoUnit.DAYS), List.of(c),
                List.of(runningStatus("reports", image, 0, now.minus(1, ChronoUnit.DAYS))), "Running", true, defaultTolerations());
        p.getStatus().setQosClass("BestEffort");
        put(p);
    }

    /** Deployment {@code shop/web} has 3 desired replicas but only {@code available} available (one pod fails readiness). */
    public void replicasBelowDesired(int available) {
        Instant now = Instant.now();
        Deployment d = client.apps().deployments().inNamespace(APP_NAMESPACE).withName("web").get();
        d.getStatus().setReadyReplicas(available == 0 ? null : available);
        d.getStatus().setAvailableReplicas(available == 0 ? null : available);
        d.getStatus().setUnavailableReplicas(3 - available);
        List<DeploymentCondition> conds = new ArrayList<>();
        conds.add(new DeploymentConditionBuilder().withType("Available").withStatus(available == 0 ? "False" : "True")
                .withReason(available == 0 ? "MinimumReplicasUnavailable" : "MinimumReplicasAvailable")
                .withMessage(available == 0 ? "Deployment does not have minimum availability." : "Deployment has minimum availability.")
                .withLastTransitionTime(ts(now.minusSeconds(300))).withLastUpdateTime(ts(now.minusSeconds(300))).build());
        conds.add(progressingComplete("web", now.minus(5, ChronoUnit.DAYS)));
        d.getStatus().setConditions(conds);
        replace(d);
        List<Pod> pods = client.pods().inNamespace(APP_NAMESPACE).withLabel("app", "web").list().getItems();
        for (int i = available; i < pods.size(); i++) {
            Pod p = pods.get(i);
            List<PodCondition> conditions = new ArrayList<>();
            for (PodCondition c : p.getStatus().getConditions()) {
                conditions.add(c.getType().equals("Ready") || c.getType().equals("ContainersReady")
                        ? new PodConditionBuilder(c).withStatus("False").withReason("ContainersNotReady")
                                .withMessage("containers with unready status: [web]").withLastTransitionTime(ts(now.minusSeconds(300))).build()
                        : c);
            }
            p.getStatus().setConditions(conditions);
            p.getStatus().getContainerStatuses().get(0).setReady(false);
            replace(p);
        }
    }

    /** Deployment {@code shop/legacy} serves on port 8080 but defines neither a readiness nor a liveness probe. */
    public void noProbes() {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/legacy:4.0.1";
        Deployment d = deployment("legacy", 1, 1, 1, now.minus(10, ChronoUnit.DAYS), false, image);
        put(d);
        put(pod(APP_NAMESPACE, "legacy-1f2a3b4c5-" + suffix(0), "ReplicaSet", "legacy-1f2a3b4c5", "1f2a3b4c5", NODES.get(2),
                now.minus(10, ChronoUnit.DAYS), List.of(appContainer("legacy", image, false)),
                List.of(runningStatus("legacy", image, 0, now.minus(10, ChronoUnit.DAYS))), "Running", true, defaultTolerations()));
    }

    /**
     * Deployment {@code shop/<name>} with {@code replicas} pods requesting (and limited to) {@code cpu} and
     * {@code memory} each, bound the way the scheduler would: each pod to the worker with the most unrequested
     * memory that still fits it, or left Pending (Unschedulable) when none does.
     */
    public void addLoad(String name, int replicas, String cpu, String memory) {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/" + name + ":1.0.0";
        ResourceRequirements r = resources(cpu, memory, cpu, memory);
        Deployment d = deployment(name, replicas, replicas, replicas, now.minus(1, ChronoUnit.DAYS), true, image);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(r);
        put(d);
        String hash = "5c6d7e8f9";
        for (int i = 0; i < replicas; i++) {
            String node = null;
            double bestFree = -1;
            for (String worker : NODES.subList(1, NODES.size())) {
                double[] free = free(worker);
                if (free[0] >= Quantity.getAmountInBytes(new Quantity(cpu)).doubleValue()
                        && free[1] >= Quantity.getAmountInBytes(new Quantity(memory)).doubleValue() && free[1] > bestFree) {
                    node = worker;
                    bestFree = free[1];
                }
            }
            var c = appContainer(name, image, true);
            c.setResources(r);
            Pod p = pod(APP_NAMESPACE, name + "-" + hash + "-" + suffix(i) + i, "ReplicaSet", name + "-" + hash, hash, node,
                    now.minus(1, ChronoUnit.DAYS), List.of(c),
                    node == null ? List.of() : List.of(runningStatus(name, image, 0, now.minus(1, ChronoUnit.DAYS))),
                    node == null ? "Pending" : "Running", node != null, defaultTolerations());
            p.getStatus().setQosClass("Guaranteed");
            if (node == null) {
                p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                        .withReason("Unschedulable").withMessage("0/3 nodes are available: 1 node(s) had untolerated taint "
                                + "{node-role.kubernetes.io/control-plane: }, 2 Insufficient memory.")
                        .withLastTransitionTime(ts(now.minusSeconds(60))).build()));
            }
            put(p);
        }
    }

    /** Unrequested {cpu cores, memory bytes} on a node, from the pods bound to it. */
    private double[] free(String node) {
        Node n = client.nodes().withName(node).get();
        double cpu = Quantity.getAmountInBytes(n.getStatus().getAllocatable().get("cpu")).doubleValue();
        double mem = Quantity.getAmountInBytes(n.getStatus().getAllocatable().get("memory")).doubleValue();
        for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
            if (!node.equals(p.getSpec().getNodeName())) {
                continue;
            }
            for (var c : p.getSpec().getContainers()) {
                if (c.getResources() != null && c.getResources().getRequests() != null) {
                    Quantity qc = c.getResources().getRequests().get("cpu");
                    Quantity qm = c.getResources().getRequests().get("memory");
                    cpu -= qc == null ? 0 : Quantity.getAmountInBytes(qc).doubleValue();
                    mem -= qm == null ? 0 : Quantity.getAmountInBytes(qm).doubleValue();
                }
            }
        }
        return new double[] {cpu, mem};
    }

    // ------------------------------------------------------------------ object builders

    private Deployment deployment(String name, int replicas, int ready, int available, Instant created, boolean probes) {
        return deployment(name, replicas, ready, available, created, probes, "registry.example.com/shop/" + name + ":1.0.0");
    }

    private Deployment deployment(String name, int replicas, int ready, int available, Instant created, boolean probes,
            String image) {
        Instant now = Instant.now();
        List<DeploymentCondition> conds = new ArrayList<>();
        conds.add(new DeploymentConditionBuilder().withType("Available").withStatus(available > 0 ? "True" : "False")
                .withReason(available > 0 ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                .withMessage(available > 0 ? "Deployment has minimum availability." : "Deployment does not have minimum availability.")
                .withLastTransitionTime(ts(created.plusSeconds(60))).withLastUpdateTime(ts(created.plusSeconds(60))).build());
        conds.add(available == replicas ? progressingComplete(name, created)
                : new DeploymentConditionBuilder().withType("Progressing").withStatus("True").withReason("ReplicaSetUpdated")
                        .withMessage("ReplicaSet \"" + name + "\" is progressing.")
                        .withLastTransitionTime(ts(created)).withLastUpdateTime(ts(now.minusSeconds(30))).build());
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(APP_NAMESPACE).withGeneration(2L)
                .withCreationTimestamp(ts(created)).addToLabels("app", name).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withNewMaxUnavailable("25%").withNewMaxSurge("25%").endRollingUpdate().endStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(appContainer(name, image, probes)).endSpec().endTemplate()
                .endSpec()
                .withNewStatus().withObservedGeneration(2L).withReplicas(replicas).withUpdatedReplicas(replicas)
                .withReadyReplicas(ready == 0 ? null : ready).withAvailableReplicas(available == 0 ? null : available)
                .withUnavailableReplicas(replicas - available == 0 ? null : replicas - available)
                .withConditions(conds).endStatus()
                .build();
    }

    private static DeploymentCondition progressingComplete(String name, Instant created) {
        return new DeploymentConditionBuilder().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable")
                .withMessage("ReplicaSet \"" + name + "\" has successfully progressed.")
                .withLastTransitionTime(ts(created)).withLastUpdateTime(ts(created.plusSeconds(60))).build();
    }

    private StatefulSet statefulSet(String name, int replicas, int ready, Instant now) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace(APP_NAMESPACE).withGeneration(1L)
                .withCreationTimestamp(ts(now.minus(3, ChronoUnit.DAYS))).addToLabels("app", name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name).withNewSelector().addToMatchLabels("app", name)
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(appContainer(name, "postgres:16.4", true)).endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).withReadyReplicas(ready)
                .withAvailableReplicas(ready).withCurrentReplicas(replicas).withUpdatedReplicas(replicas).endStatus()
                .build();
    }

    private DaemonSet daemonSet(String name, Instant now) {
        return new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace("kube-system").withGeneration(1L)
                .withCreationTimestamp(ts(now.minus(30, ChronoUnit.DAYS))).addToLabels("k8s-app", name).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("k8s-app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("k8s-app", name).endMetadata()
                .withNewSpec().withContainers(new ContainerBuilder().withName(name)
                        .withImage("registry.k8s.io/kube-proxy:" + version)
                        .withResources(resources("100m", "64Mi", null, "128Mi")).build())
                .withTolerations(new TolerationBuilder().withOperator("Exists").build()).endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withDesiredNumberScheduled(NODES.size())
                .withCurrentNumberScheduled(NODES.size()).withNumberReady(NODES.size()).withNumberAvailable(NODES.size())
                .withUpdatedNumberScheduled(NODES.size()).withNumberMisscheduled(0).endStatus()
                .build();
    }

    private Pod daemonPod(String name, String node, Instant now) {
        var c = new ContainerBuilder().withName("kube-proxy").withImage("registry.k8s.io/kube-proxy:" + version)
                .withResources(resources("100m", "64Mi", null, "128Mi")).build();
        // DaemonSet pods tolerate every taint without a time limit: the node being unreachable never evicts them
        Pod p = pod("kube-system", name, "DaemonSet", "kube-proxy", null, node, now.minus(30, ChronoUnit.DAYS), List.of(c),
                List.of(runningStatus("kube-proxy", "registry.k8s.io/kube-proxy:" + version, 0, now.minus(30, ChronoUnit.DAYS))),
                "Running", true, List.of(new TolerationBuilder().withOperator("Exists").build(),
                        new TolerationBuilder().withKey(NOT_READY_TAINT).withOperator("Exists").withEffect("NoExecute").build(),
                        new TolerationBuilder().withKey(UNREACHABLE_TAINT).withOperator("Exists").withEffect("NoExecute").build()));
        p.getStatus().setQosClass("Burstable");
        return p;
    }

    private Pod workloadPod(String app, String name, String node, Instant now) {
        String image = "registry.example.com/shop/" + app + ":1.0.0";
        String hash = name.substring(app.length() + 1, name.lastIndexOf('-'));
        return pod(APP_NAMESPACE, name, "ReplicaSet", app + "-" + hash, hash, node, now.minus(5, ChronoUnit.DAYS),
                List.of(appContainer(app, image, true)), List.of(runningStatus(app, image, 0, now.minus(5, ChronoUnit.DAYS))),
                "Running", true, defaultTolerations());
    }

    /** The tolerations the DefaultTolerationSeconds admission plugin adds to every pod that sets none: 300 s. */
    private static List<Toleration> defaultTolerations() {
        return List.of(
                new TolerationBuilder().withKey(NOT_READY_TAINT).withOperator("Exists").withEffect("NoExecute")
                        .withTolerationSeconds(300L).build(),
                new TolerationBuilder().withKey(UNREACHABLE_TAINT).withOperator("Exists").withEffect("NoExecute")
                        .withTolerationSeconds(300L).build());
    }

    private static io.fabric8.kubernetes.api.model.Container appContainer(String name, String image, boolean probes) {
        ContainerBuilder b = new ContainerBuilder().withName(name).withImage(image).withImagePullPolicy("IfNotPresent")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .withResources(resources("250m", "256Mi", "1", "256Mi"));
        if (probes) {
            b.withReadinessProbe(httpProbe("/ready", 5)).withLivenessProbe(httpProbe("/healthz", 10));
        }
        return b.build();
    }

    private static Probe httpProbe(String path, int period) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withNewPort("http").endHttpGet()
                .withPeriodSeconds(period).withFailureThreshold(3).build();
    }

    private static ResourceRequirements resources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        ResourceRequirementsBuilder b = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(cpuRequest)).addToRequests("memory", new Quantity(memoryRequest));
        if (cpuLimit != null) {
            b.addToLimits("cpu", new Quantity(cpuLimit));
        }
        if (memoryLimit != null) {
            b.addToLimits("memory", new Quantity(memoryLimit));
        }
        return b.build();
    }

    private static ContainerStatus runningStatus(String name, String image, int restarts, Instant since) {
        return new ContainerStatusBuilder().withName(name).withImage(image).withReady(true).withStarted(true)
                .withRestartCount(restarts).withNewState().withNewRunning().withStartedAt(ts(since)).endRunning().endState()
                .build();
    }

    private static Pod pod(String namespace, String name, String ownerKind, String ownerName, String templateHash, String node,
            Instant created, List<io.fabric8.kubernetes.api.model.Container> containers, List<ContainerStatus> statuses,
            String phase, boolean ready, List<Toleration> tolerations) {
        Map<String, String> labels = new LinkedHashMap<>();
        String app = ownerKind.equals("ReplicaSet") && templateHash != null
                ? ownerName.substring(0, ownerName.length() - templateHash.length() - 1) : ownerName;
        labels.put(namespace.equals("kube-system") ? "k8s-app" : "app", app);
        if (templateHash != null) {
            labels.put("pod-template-hash", templateHash);
        }
        List<PodCondition> conditions = new ArrayList<>();
        if (node != null) {
            conditions.add(podCondition("PodReadyToStartContainers", "True", created.plusSeconds(2)));
            conditions.add(podCondition("Initialized", "True", created.plusSeconds(1)));
            conditions.add(podCondition("Ready", ready ? "True" : "False", created.plusSeconds(15)));
            conditions.add(podCondition("ContainersReady", ready ? "True" : "False", created.plusSeconds(15)));
            conditions.add(podCondition("PodScheduled", "True", created));
        }
        String qos = containers.stream().allMatch(c -> c.getResources() == null
                || (c.getResources().getRequests() == null || c.getResources().getRequests().isEmpty())
                        && (c.getResources().getLimits() == null || c.getResources().getLimits().isEmpty()))
                ? "BestEffort" : "Burstable";
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withCreationTimestamp(ts(created)).withLabels(labels)
                .addNewOwnerReference().withApiVersion(ownerKind.equals("ReplicaSet") || ownerKind.equals("DaemonSet")
                        || ownerKind.equals("StatefulSet") ? "apps/v1" : "v1")
                .withKind(ownerKind).withName(ownerName).withController(true).withUid("uid-" + ownerName).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName(node).withContainers(containers).withRestartPolicy("Always")
                .withTolerations(tolerations).withTerminationGracePeriodSeconds(30L).endSpec()
                .withNewStatus().withPhase(phase).withConditions(conditions).withContainerStatuses(statuses)
                .withQosClass(qos).withStartTime(node == null ? null : ts(created)).withHostIP(node == null ? null : "10.0.0." + (10 + NODES.indexOf(node)))
                .endStatus()
                .build();
    }

    private static PodCondition podCondition(String type, String status, Instant when) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(ts(when)).build();
    }

    private static String ts(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    // ------------------------------------------------------------------ plumbing

    /** Creates the object with its status, as the component that owns it would have written it. */
    private <T extends HasMetadata> void put(T object) {
        client.resource(object).create();
    }

    private <T extends HasMetadata> void replace(T object) {
        object.getMetadata().setResourceVersion(null);
        client.resource(object).update();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
        try {
            Files.deleteIfExists(kubeconfig);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
