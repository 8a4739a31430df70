package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.appContainer;
import static io.opsdoc.lab.kubernetes.KubeObjects.defaultTolerations;
import static io.opsdoc.lab.kubernetes.KubeObjects.deployment;
import static io.opsdoc.lab.kubernetes.KubeObjects.pod;
import static io.opsdoc.lab.kubernetes.KubeObjects.progressingComplete;
import static io.opsdoc.lab.kubernetes.KubeObjects.resources;
import static io.opsdoc.lab.kubernetes.KubeObjects.runningStatus;
import static io.opsdoc.lab.kubernetes.KubeObjects.suffix;
import static io.opsdoc.lab.kubernetes.KubeObjects.ts;
import static io.opsdoc.lab.kubernetes.KubernetesLab.APP_NAMESPACE;
import static io.opsdoc.lab.kubernetes.KubernetesLab.NODES;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Workload faults in namespace {@value KubernetesLab#APP_NAMESPACE}, written as the workload controllers, the
 * scheduler and the kubelet would have left them: Deployments with their status and conditions, pods with the
 * container states, reasons and messages a real cluster shows (CrashLoopBackOff, ImagePullBackOff, OOMKilled,
 * Unschedulable), and loads bound to nodes the way the scheduler would bind them.
 */
public final class WorkloadFaults {
    private final KubernetesLab lab;

    WorkloadFaults(KubernetesLab lab) {
        this.lab = lab;
    }

    /**
     * Deployment {@code shop/checkout} whose only container exits with status 1 at start (a missing configuration
     * value): restarted {@code restarts} times, now waiting in CrashLoopBackOff, never Ready.
     */
    public void crashLoop(int restarts) {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/checkout:2.3.0";
        lab.put(deployment("checkout", 2, 0, 0, now.minus(20, ChronoUnit.MINUTES), true, image));
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
            lab.put(pod(APP_NAMESPACE, "checkout-5f6d7c8b9-" + suffix(i), "ReplicaSet", "checkout-5f6d7c8b9", "5f6d7c8b9",
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
        lab.put(deployment("worker", 1, 1, 1, now.minus(1, ChronoUnit.HOURS), true, image));
        ContainerStatus s = new ContainerStatusBuilder().withName("worker").withImage(image).withReady(true)
                .withStarted(true).withRestartCount(restarts)
                .withNewState().withNewRunning().withStartedAt(ts(started)).endRunning().endState()
                .withNewLastState().withNewTerminated().withReason("Error").withExitCode(2)
                .withStartedAt(ts(started.minusSeconds(30))).withFinishedAt(ts(started.minusSeconds(1)))
                .endTerminated().endLastState().build();
        lab.put(pod(APP_NAMESPACE, "worker-6c7d8e9f0-" + suffix(0), "ReplicaSet", "worker-6c7d8e9f0", "6c7d8e9f0", NODES.get(1),
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
        lab.put(deployment("api", 1, 0, 0, now.minus(6, ChronoUnit.MINUTES), true, image));
        ContainerStatus s = new ContainerStatusBuilder().withName("api").withImage(image).withImageID("").withReady(false)
                .withStarted(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"" + image + "\": ErrImagePull: rpc error: code = NotFound desc = "
                        + "failed to pull and unpack image \"" + image + "\": failed to resolve reference \"" + image
                        + "\": " + image + ": not found")
                .endWaiting().endState().build();
        lab.put(pod(APP_NAMESPACE, "api-7b8c9d0e1-" + suffix(0), "ReplicaSet", "api-7b8c9d0e1", "7b8c9d0e1", NODES.get(2),
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
        lab.put(d);
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
        lab.put(p);
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
        lab.put(d);
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
        lab.put(p);
    }

    /** Deployment {@code shop/reports} whose containers declare no requests and no limits: QoS class BestEffort. */
    public void bestEffort() {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/reports:0.8.2";
        Deployment d = deployment("reports", 1, 1, 1, now.minus(1, ChronoUnit.DAYS), true, image);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(new ResourceRequirements());
        lab.put(d);
        var c = appContainer("reports", image, true);
        c.setResources(new ResourceRequirements());
        Pod p = pod(APP_NAMESPACE, "reports-0e1f2a3b4-" + suffix(0), "ReplicaSet", "reports-0e1f2a3b4", "0e1f2a3b4",
                NODES.get(1), now.minus(1, ChronoUnit.DAYS), List.of(c),
                List.of(runningStatus("reports", image, 0, now.minus(1, ChronoUnit.DAYS))), "Running", true, defaultTolerations());
        p.getStatus().setQosClass("BestEffort");
        lab.put(p);
    }

    /**
     * Deployment {@code shop/catalog} got a startup probe of 30 x 10 s, but since its last release it loads its search
     * index before answering /healthz and needs longer: the kubelet killed it three times (SIGTERM, exit 143) and its
     * fourth run, 2 minutes old, is not started either.
     */
    public void startupProbeFailing() {
        Instant now = Instant.now();
        String name = "catalog";
        String image = "registry.example.com/shop/" + name + ":7.1.0";
        var startup = new io.fabric8.kubernetes.api.model.ProbeBuilder().withNewHttpGet().withPath("/healthz")
                .withNewPort("http").endHttpGet().withPeriodSeconds(10).withFailureThreshold(30).build();
        Deployment d = deployment(name, 1, 0, 0, now.minus(20, ChronoUnit.MINUTES), true, image);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setStartupProbe(startup);
        lab.put(d);
        var c = appContainer(name, image, true);
        c.setStartupProbe(startup);
        ContainerStatus status = new ContainerStatusBuilder().withName(name).withImage(image)
                .withImageID(image.replace(":7.1.0", "@sha256:9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e"))
                .withContainerID("containerd://4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d")
                .withReady(false).withStarted(false).withRestartCount(3)
                .withNewState().withNewRunning().withStartedAt(ts(now.minusSeconds(120))).endRunning().endState()
                .withNewLastState().withNewTerminated().withReason("Error").withExitCode(143)
                .withStartedAt(ts(now.minusSeconds(425))).withFinishedAt(ts(now.minusSeconds(122))).endTerminated()
                .endLastState().build();
        lab.put(pod(APP_NAMESPACE, name + "-2c3d4e5f6-" + suffix(0), "ReplicaSet", name + "-2c3d4e5f6", "2c3d4e5f6",
                NODES.get(1), now.minus(20, ChronoUnit.MINUTES), List.of(c), List.of(status), "Running", false,
                defaultTolerations()));
    }

    /** Deployment {@code shop/payments}: requests equal to limits for CPU and memory, so its pods are QoS Guaranteed. */
    public void guaranteedPayments() {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/payments:4.0.3";
        ResourceRequirements r = resources("500m", "512Mi", "500m", "512Mi");
        Deployment d = deployment("payments", 1, 1, 1, now.minus(6, ChronoUnit.DAYS), true, image);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(r);
        lab.put(d);
        var c = appContainer("payments", image, true);
        c.setResources(r);
        Pod p = pod(APP_NAMESPACE, "payments-3e4f5a6b7-" + suffix(0), "ReplicaSet", "payments-3e4f5a6b7", "3e4f5a6b7",
                NODES.get(2), now.minus(6, ChronoUnit.DAYS), List.of(c),
                List.of(runningStatus("payments", image, 0, now.minus(6, ChronoUnit.DAYS))), "Running", true, defaultTolerations());
        p.getStatus().setQosClass("Guaranteed");
        lab.put(p);
    }

    /**
     * Deployment {@code shop/indexer} requests 500m CPU and 1Gi memory and sets no limits at all (QoS Burstable):
     * nothing caps its memory below the node's.
     */
    public void noMemoryLimit() {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/indexer:2.2.0";
        ResourceRequirements r = resources("500m", "1Gi", null, null);
        Deployment d = deployment("indexer", 1, 1, 1, now.minus(4, ChronoUnit.DAYS), true, image);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(r);
        lab.put(d);
        var c = appContainer("indexer", image, true);
        c.setResources(r);
        lab.put(pod(APP_NAMESPACE, "indexer-1a2b3c4d5-" + suffix(0), "ReplicaSet", "indexer-1a2b3c4d5", "1a2b3c4d5",
                NODES.get(2), now.minus(4, ChronoUnit.DAYS), List.of(c),
                List.of(runningStatus("indexer", image, 0, now.minus(4, ChronoUnit.DAYS))), "Running", true, defaultTolerations()));
    }

    /** Deployment {@code shop/web} has 3 desired replicas but only {@code available} available (one pod fails readiness). */
    public void replicasBelowDesired(int available) {
        Instant now = Instant.now();
        Deployment d = lab.client().apps().deployments().inNamespace(APP_NAMESPACE).withName("web").get();
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
        lab.replace(d);
        List<Pod> pods = lab.client().pods().inNamespace(APP_NAMESPACE).withLabel("app", "web").list().getItems();
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
            lab.replace(p);
        }
    }

    /** Deployment {@code shop/legacy} serves on port 8080 but defines neither a readiness nor a liveness probe. */
    public void noProbes() {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/legacy:4.0.1";
        Deployment d = deployment("legacy", 1, 1, 1, now.minus(10, ChronoUnit.DAYS), false, image);
        lab.put(d);
        lab.put(pod(APP_NAMESPACE, "legacy-1f2a3b4c5-" + suffix(0), "ReplicaSet", "legacy-1f2a3b4c5", "1f2a3b4c5", NODES.get(2),
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
        lab.put(d);
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
            lab.put(p);
        }
    }

    /**
     * Deployment shop/uploads (2 replicas) keeps its files on a ReadWriteOnce volume: after a rollout the new pod
     * was bound to worker-2 {@code ago}, while the volume is still attached to worker-1, so the kubelet cannot mount it
     * (Multi-Attach error in its events): the pod stays Pending, its container waiting in ContainerCreating, no sandbox.
     */
    public void stuckCreating(Duration ago) {
        Instant now = Instant.now();
        Instant bound = now.minus(ago);
        String name = "uploads";
        String image = "registry.example.com/shop/" + name + ":5.0.2";
        lab.put(deployment(name, 2, 1, 1, now.minus(20, ChronoUnit.DAYS), true, image));
        lab.put(pod(APP_NAMESPACE, name + "-4d5e6f7a8-" + suffix(0), "ReplicaSet", name + "-4d5e6f7a8", "4d5e6f7a8",
                "worker-1", now.minus(20, ChronoUnit.DAYS), List.of(appContainer(name, image, true)),
                List.of(runningStatus(name, image, 0, now.minus(20, ChronoUnit.DAYS))), "Running", true, defaultTolerations()));
        ContainerStatus waiting = new ContainerStatusBuilder().withName(name).withImage(image).withImageID("")
                .withReady(false).withStarted(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().build();
        Pod p = pod(APP_NAMESPACE, name + "-9a8b7c6d5-" + suffix(1), "ReplicaSet", name + "-9a8b7c6d5", "9a8b7c6d5",
                "worker-2", bound, List.of(appContainer(name, image, true)), List.of(waiting), "Pending", false,
                defaultTolerations());
        for (PodCondition c : p.getStatus().getConditions()) {
            if (c.getType().equals("PodReadyToStartContainers")) {
                c.setStatus("False");
            }
            if (!c.getStatus().equals("True")) {
                c.setReason(c.getType().equals("PodReadyToStartContainers") ? null : "ContainersNotReady");
                c.setMessage(c.getType().equals("PodReadyToStartContainers") ? null : "containers with unready status: [" + name + "]");
            }
        }
        p.getStatus().setPodIP(null);
        lab.put(p);
    }

    /**
     * A small node joins (worker-3, an instance type whose pod network gives it 17 pod addresses, so the kubelet's
     * maxPods is 17), and shop/queue-worker's 16 small pods are bound there beside its kube-proxy: 17 of 17 pod slots
     * used while most CPU and memory are free.
     */
    public void podSlotsFull() {
        Instant now = Instant.now();
        Node n = KubeObjects.healthyNode("worker-3", now, lab.version());
        for (var m : List.of(n.getStatus().getCapacity(), n.getStatus().getAllocatable())) {
            m.put("pods", new Quantity("17"));
        }
        lab.put(n);
        lab.put(KubeObjects.lease("worker-3", now.minusSeconds(4)));
        lab.put(KubeObjects.daemonPod("kube-proxy-worker-3", "worker-3", now, lab.version()));
        String name = "queue-worker";
        String image = "registry.example.com/shop/" + name + ":3.4.1";
        ResourceRequirements r = resources("10m", "32Mi", null, "64Mi");
        Deployment d = KubeObjects.spreadByHostname(deployment(name, 16, 16, 16, now.minus(2, ChronoUnit.DAYS), true, image));
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(r);
        lab.put(d);
        for (int i = 0; i < 16; i++) {
            var c = appContainer(name, image, true);
            c.setResources(r);
            lab.put(pod(APP_NAMESPACE, name + "-6b7c8d9e0-" + suffix(i) + i, "ReplicaSet", name + "-6b7c8d9e0", "6b7c8d9e0",
                    "worker-3", now.minus(2, ChronoUnit.DAYS), List.of(c),
                    List.of(runningStatus(name, image, 0, now.minus(2, ChronoUnit.DAYS))), "Running", true,
                    defaultTolerations()));
        }
    }

    /** Unrequested {cpu cores, memory bytes} on a node, from the pods bound to it. */
    private double[] free(String node) {
        Node n = lab.client().nodes().withName(node).get();
        double cpu = Quantity.getAmountInBytes(n.getStatus().getAllocatable().get("cpu")).doubleValue();
        double mem = Quantity.getAmountInBytes(n.getStatus().getAllocatable().get("memory")).doubleValue();
        for (Pod p : lab.client().pods().inAnyNamespace().list().getItems()) {
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
}
