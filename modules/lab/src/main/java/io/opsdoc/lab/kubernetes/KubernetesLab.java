package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.daemonPod;
import static io.opsdoc.lab.kubernetes.KubeObjects.daemonSet;
import static io.opsdoc.lab.kubernetes.KubeObjects.defaultTolerations;
import static io.opsdoc.lab.kubernetes.KubeObjects.deployment;
import static io.opsdoc.lab.kubernetes.KubeObjects.healthyNode;
import static io.opsdoc.lab.kubernetes.KubeObjects.lease;
import static io.opsdoc.lab.kubernetes.KubeObjects.pod;
import static io.opsdoc.lab.kubernetes.KubeObjects.appContainer;
import static io.opsdoc.lab.kubernetes.KubeObjects.runningStatus;
import static io.opsdoc.lab.kubernetes.KubeObjects.statefulSet;
import static io.opsdoc.lab.kubernetes.KubeObjects.suffix;
import static io.opsdoc.lab.kubernetes.KubeObjects.workloadPod;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes API server stand-in on loopback (the Fabric8 mock server in CRUD mode, plain HTTP) holding a small
 * cluster, with node faults in {@link #nodes()} and workload faults in {@link #workloads()}.
 *
 * <p>Nothing runs behind the API here: no kubelet renews Leases, no controller taints nodes. So each fault writes the
 * objects exactly as the real components would have left them at that moment, timestamps included: a node that lost
 * power two minutes ago has a Lease last renewed two minutes ago, Ready=Unknown since the grace period ran out (40 s
 * before v1.32, 50 s from v1.32, as the node-lifecycle controller of that version would have decided), the
 * {@code node.kubernetes.io/unreachable} taints added at that moment, and pods carrying the 300 s tolerations the
 * DefaultTolerationSeconds admission plugin injects. {@link #heal()} puts back the healthy cluster. The lab knows
 * nothing about the checks that are run against it.
 */
public final class KubernetesLab implements Lab {
    public static final String CONTEXT = KubeconfigFile.CONTEXT;
    public static final String APP_NAMESPACE = "shop";
    public static final List<String> NODES = List.of("cp-1", "worker-1", "worker-2");
    public static final String DEFAULT_VERSION = "v1.32.2";

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");
    private static final Map<String, KubernetesLab> SHARED = new HashMap<>();

    /** Held so the level sticks: the mock server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final String version;
    private final int minor;
    private final KubernetesMockServer server;
    private final FieldSelectorDispatcher dispatcher;
    /** What GET /version answers: the variant's version, or another one until heal(). */
    private final VersionInfo versionInfo;
    private final KubernetesClient client;
    private final Path dir;
    private final KubeletStandIn kubelet;
    private final Path kubeconfig;
    private final NodeFaults nodes = new NodeFaults(this);
    private final WorkloadFaults workloads = new WorkloadFaults(this);
    private final ServiceFaults services = new ServiceFaults(this);
    private final PodFaults pods = new PodFaults(this);
    private final ReleaseFaults releases = new ReleaseFaults(this);
    private final QuotaFaults quotas = new QuotaFaults(this);
    private final NetworkFaults network = new NetworkFaults(this);

    private KubernetesLab(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Kubernetes version: " + version);
        }
        this.version = version;
        this.minor = Integer.parseInt(m.group(2));
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        versionInfo = new VersionInfo.Builder().withMajor(m.group(1)).withMinor(m.group(2))
                .withGitVersion(version).withPlatform("linux/amd64").build();
        dispatcher = new FieldSelectorDispatcher(responses);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false, versionInfo);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        client = server.createClient();
        dir = LabFiles.tempDir("opsdoc-k8s-lab");
        kubeconfig = dir.resolve("kubeconfig");
        kubelet = new KubeletStandIn(dir);
        try {
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

    /** One lab per version per JVM, started on first use and stopped at JVM exit. Call {@link #heal()} before use. */
    public static synchronized KubernetesLab shared(String version) {
        return SHARED.computeIfAbsent(version, v -> {
            KubernetesLab lab = start(v);
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-k8s-lab-shutdown"));
            return lab;
        });
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

    @Override
    public String where() {
        return "API server " + version + " at " + url() + ", kubeconfig " + kubeconfig;
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

    /** Nodes that stop reporting, report a problem, are cordoned or run another kubelet version. */
    /** A process named kubelet on this machine, for kubelet-host=local: or ssh:// (stopped by heal()). */
    public KubeletStandIn kubelet() {
        return kubelet;
    }

    public NodeFaults nodes() {
        return nodes;
    }

    /** Workloads that crash, cannot pull or schedule, are OOM-killed or short of replicas; loads that fill nodes. */
    public WorkloadFaults workloads() {
        return workloads;
    }

    /** Services without ready endpoints, Ingress backends that do not exist, HPAs at their limit or blind. */
    public ServiceFaults services() {
        return services;
    }

    /** The CNI agent (Flannel, Calico), kube-proxy's ConfigMap and each node's kube-proxy /healthz. */
    public NetworkFaults network() {
        return network;
    }

    /** Pods stuck Terminating, probe specs that hurt, and what blocks or endangers a node drain. */
    public PodFaults pods() {
        return pods;
    }

    /** Deployment strategies, probes, image tags and pull policies that make the next rollout or pull risky. */
    public ReleaseFaults releases() {
        return releases;
    }

    /** Namespace ResourceQuotas near, at or above their limits. */
    public QuotaFaults quotas() {
        return quotas;
    }

    /**
     * Deletes everything and writes a healthy cluster: one control-plane node and two workers, all Ready with
     * Leases renewed seconds ago; Deployment {@code shop/web} (3 replicas), StatefulSet {@code shop/db} (1),
     * DaemonSet {@code kube-system/kube-proxy}, each pod Running and Ready, with requests, limits and probes;
     * Services {@code shop/web} and {@code shop/db} with their EndpointSlices and Endpoints, Ingress
     * {@code shop/storefront} to web, an HPA on web (3-10 replicas, CPU 55 % of a 70 % target) and a
     * PodDisruptionBudget on web (minAvailable 2: one disruption allowed), and ResourceQuota {@code shop/compute}
     * (requests.cpu 1 of 8, requests.memory 1Gi of 16Gi, pods 4 of 50).
     */
    @Override
    public void heal() {
        Instant now = Instant.now();
        dispatcher.clearDeletions();
        server.setVersionInfo(versionInfo);
        // a pod holding a finalizer is only marked for deletion: drop the finalizers first, as their controller would
        for (var p : client.pods().inAnyNamespace().list().getItems()) {
            if (p.getMetadata().getFinalizers() != null && !p.getMetadata().getFinalizers().isEmpty()) {
                p.getMetadata().setFinalizers(List.of());
                replace(p);
            }
        }
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.endpoints().inAnyNamespace().delete();
        client.discovery().v1().endpointSlices().inAnyNamespace().delete();
        client.network().v1().ingresses().inAnyNamespace().delete();
        client.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().delete();
        client.policy().v1().podDisruptionBudget().inAnyNamespace().delete();
        client.resourceQuotas().inAnyNamespace().delete();
        client.apps().deployments().inAnyNamespace().delete();
        client.apps().statefulSets().inAnyNamespace().delete();
        client.apps().daemonSets().inAnyNamespace().delete();
        client.resources(Lease.class).inAnyNamespace().delete();
        client.configMaps().inAnyNamespace().delete();
        client.v1().events().inAnyNamespace().delete();
        kubelet.stopped();
        network.heal();
        client.nodes().delete();
        for (String node : NODES) {
            put(healthyNode(node, now, version));
            put(lease(node, now.minusSeconds(3)));
        }
        // a well-kept Deployment: spread over nodes by a hard topology spread constraint
        put(KubeObjects.spreadByHostname(deployment("web", 3, 3, 3, now, true)));
        for (int i = 0; i < 3; i++) {
            put(workloadPod("web", "web-7d9f8b6c4d-" + suffix(i), NODES.get(1 + i % 2), now));
        }
        put(statefulSet("db", 1, 1, now));
        put(pod(APP_NAMESPACE, "db-0", "StatefulSet", "db", null, NODES.get(1), now.minus(3, ChronoUnit.DAYS),
                List.of(appContainer("db", "postgres:16.4", true)),
                List.of(runningStatus("db", "postgres:16.4", 0, now.minus(3, ChronoUnit.DAYS))), "Running", true,
                defaultTolerations()));
        put(daemonSet("kube-proxy", now, version));
        for (String node : NODES) {
            put(daemonPod("kube-proxy-" + node, node, now, version));
        }
        services.healthy(now);
        quotas.healthy(now);
    }

    /** Writes a file into the lab's temporary directory (deleted in close()) and returns its path. */
    Path writeFile(String name, String text) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** Creates the object with its status, as the component that owns it would have written it. */
    <T extends HasMetadata> void put(T object) {
        client.resource(object).create();
    }

    /**
     * From now until {@link #heal()}, {@code GET /version} answers {@code gitVersion}, as after an upgrade of the
     * control plane (the nodes keep their kubelet version).
     */
    public void serveVersion(String gitVersion) {
        Matcher m = VERSION.matcher(gitVersion);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Kubernetes version: " + gitVersion);
        }
        server.setVersionInfo(new VersionInfo.Builder().withMajor(m.group(1)).withMinor(m.group(2))
                .withGitVersion(gitVersion).withPlatform("linux/amd64").build());
    }

    /**
     * Serves pod {@code namespace/name} as the API server does after a graceful DELETE requested at {@code requested}
     * with {@code grace} seconds: deletionTimestamp = requested + grace (see {@link FieldSelectorDispatcher}).
     */
    void markDeleted(String namespace, String name, Instant requested, long grace) {
        dispatcher.markDeleted(namespace, name, KubeObjects.ts(requested.plusSeconds(grace)), grace);
    }

    /** Replaces the object, status included, whatever its current resource version. */
    <T extends HasMetadata> void replace(T object) {
        object.getMetadata().setResourceVersion(null);
        client.resource(object).update();
    }

    @Override
    public void close() {
        kubelet.stopped();
        network.close();
        client.close();
        server.destroy();
        LabFiles.deleteRecursively(dir);
    }
}
