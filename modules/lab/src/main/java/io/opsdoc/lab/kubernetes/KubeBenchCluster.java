package io.opsdoc.lab.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * For bench/k8s-scale.sh: {@code --nodes} nodes, one in a hundred NotReady (with its pods marked not ready, as the node
 * controller does), and {@code --pods} running workload pods of ten replicas per app spread over them. {@code
 * --stand-in lists} (default) serves them from a {@link KubeListServer}; {@code --stand-in crud} writes them into the
 * lab's CRUD mock, which takes too long beyond a few thousand objects. Writes the opsdoc target, the kubeconfig path and
 * the API server's URL to {@code --ready-file} (three lines) and runs until its standard input closes.
 */
public final class KubeBenchCluster {
    private KubeBenchCluster() {
    }

    public static void main(String[] args) throws Exception {
        // the mock server's threads would keep a failed run alive, and the script waiting for it
        int status = 0;
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static void run(String[] args) throws Exception {
        int nodes = 5_000;
        int pods = 50_000;
        Path ready = Path.of("k8s-target.txt");
        String standIn = "lists";
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
                case "--pods" -> pods = Integer.parseInt(args[i + 1]);
                case "--ready-file" -> ready = Path.of(args[i + 1]);
                case "--stand-in" -> standIn = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long t0 = System.nanoTime();
        if (standIn.equals("lists")) {
            servedLists(nodes, pods, ready, t0);
            return;
        }
        if (!standIn.equals("crud")) {
            throw new IllegalArgumentException("--stand-in is lists or crud, not " + standIn);
        }
        try (KubernetesLab lab = KubernetesLab.start()) {
            KubernetesClient client = lab.client();
            Instant now = Instant.now();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> created = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                String name = String.format("bench-node-%05d", n);
                created.add(pool.submit(() -> client.resource(KubeObjects.healthyNode(name, now, lab.version())).create()));
                if (n % 100 == 0) {
                    // only the nodes made NotReady get a Lease (the fault needs one); a node without one is judged
                    // by its conditions alone, and 5,000 Leases would have to be renewed every 10 s like kubelets do
                    created.add(pool.submit(() -> client.resource(KubeObjects.lease(name, now)).create()));
                }
            }
            await(created);
            for (int p = 0; p < pods; p++) {
                String app = String.format("app-%04d", p / 10);
                String name = app + "-5d8f7c9b4-" + String.format("p%06d", p);
                String node = String.format("bench-node-%05d", p % nodes);
                created.add(pool.submit(() -> client.resource(KubeObjects.workloadPod(app, name, node, now)).create()));
            }
            await(created);
            for (int n = 0; n < nodes; n += 100) {
                lab.nodes().notReady(String.format("bench-node-%05d", n), Duration.ofMinutes(10));
            }
            pool.shutdown();
            // the Leases there are (the lab's three nodes and the NotReady ones) are renewed as kubelets renew them
            java.util.concurrent.ScheduledExecutorService renew = Executors.newSingleThreadScheduledExecutor();
            renew.scheduleWithFixedDelay(() -> renewLeases(client), 0, 10, java.util.concurrent.TimeUnit.SECONDS);
            System.err.printf("bench cluster up: %d nodes, %d pods in %.1f s%n", nodes, pods, (System.nanoTime() - t0) / 1e9);
            Files.writeString(ready, lab.targetUri() + "\n" + lab.kubeconfig() + "\n" + lab.url() + "\n");
            while (System.in.read() >= 0) {
                // runs until the script closes our standard input
            }
        }
    }

    /** The same cluster as fixed lists on a {@link KubeListServer}: the CRUD mock needs hours to take 55,000 objects. */
    private static void servedLists(int nodes, int pods, Path ready, long t0) throws Exception {
        Instant now = Instant.now();
        String version = "v1.32.0";
        List<Node> nodeList = new ArrayList<>(nodes);
        List<String> notReady = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            Node node = KubeObjects.healthyNode(String.format("bench-node-%05d", n), now, version);
            if (n % 100 == 0) {
                NodeFaults.markNotReady(node, now, now.minus(Duration.ofMinutes(10)), NodeFaults.CNI_NOT_READY);
                notReady.add(node.getMetadata().getName());
            }
            nodeList.add(node);
        }
        List<Pod> podList = new ArrayList<>(pods);
        for (int p = 0; p < pods; p++) {
            String app = String.format("app-%04d", p / 10);
            int node = p % nodes;
            Pod pod = KubeObjects.workloadPod(app, app + "-5d8f7c9b4-" + String.format("p%06d", p), String.format("bench-node-%05d", node), now);
            if (node % 100 == 0) {
                NodeFaults.markPodNotReady(pod, now.minus(Duration.ofMinutes(10)));
            }
            podList.add(pod);
        }
        Path dir = Files.createTempDirectory("opsdoc-kube-lists");
        try (KubeListServer server = new KubeListServer(version)
                .list("/api/v1/nodes", "v1", "NodeList", nodeList, null)
                .list("/api/v1/pods", "v1", "PodList", podList, pod -> pod.getSpec().getNodeName())
                // a NotReady node's kubelet still renews its Lease (NotReady, not Unknown): renewed 4 s before each read
                .liveList("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", "coordination.k8s.io/v1", "LeaseList",
                        () -> notReady.stream().map(n -> KubeObjects.lease(n, Instant.now().minusSeconds(4))).toList())
                .list("/apis/apps/v1/deployments", "apps/v1", "DeploymentList", List.<Deployment>of(), null)
                .list("/apis/apps/v1/statefulsets", "apps/v1", "StatefulSetList", List.<StatefulSet>of(), null)
                .list("/apis/apps/v1/daemonsets", "apps/v1", "DaemonSetList", List.<DaemonSet>of(), null)
                .start()) {
            Path kubeconfig = KubeconfigFile.write(dir, server.url());
            System.err.printf("bench cluster up: %d nodes, %d pods in %.1f s (served lists)%n", nodes, pods, (System.nanoTime() - t0) / 1e9);
            Files.writeString(ready, "k8s://" + KubeconfigFile.CONTEXT + "?kubeconfig=" + kubeconfig + "\n" + kubeconfig + "\n"
                    + server.url() + "\n");
            while (System.in.read() >= 0) {
                // runs until the script closes our standard input
            }
        }
    }

    private static void renewLeases(KubernetesClient client) {
        try {
            Instant now = Instant.now();
            for (var lease : client.leases().inNamespace(KubeObjects.NODE_LEASE_NAMESPACE).list().getItems()) {
                client.resource(KubeObjects.lease(lease.getMetadata().getName(), now)).update();
            }
        } catch (RuntimeException e) {
            System.err.println("bench: renewing leases failed: " + e);
        }
    }

    private static void await(List<Future<?>> futures) throws Exception {
        for (Future<?> f : futures) {
            f.get();
        }
        futures.clear();
    }
}
