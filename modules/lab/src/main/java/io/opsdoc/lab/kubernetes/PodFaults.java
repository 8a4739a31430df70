package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.appContainer;
import static io.opsdoc.lab.kubernetes.KubeObjects.defaultTolerations;
import static io.opsdoc.lab.kubernetes.KubeObjects.deployment;
import static io.opsdoc.lab.kubernetes.KubeObjects.pod;
import static io.opsdoc.lab.kubernetes.KubeObjects.runningStatus;
import static io.opsdoc.lab.kubernetes.KubeObjects.suffix;
import static io.opsdoc.lab.kubernetes.KubeObjects.ts;
import static io.opsdoc.lab.kubernetes.KubernetesLab.APP_NAMESPACE;
import static io.opsdoc.lab.kubernetes.KubernetesLab.NODES;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Pods past their deletion, probe specs that hurt, and pods a node drain cannot move cleanly, in namespace
 * {@value KubernetesLab#APP_NAMESPACE}. A deleted pod keeps {@code metadata.deletionTimestamp} (the request time plus
 * its grace period) and {@code deletionGracePeriodSeconds} until the kubelet confirms its containers are gone and
 * every finalizer is removed; these faults write pods in that state, with the status the kubelet (or nobody, when the
 * node is lost) left.
 */
public final class PodFaults {
    private final KubernetesLab lab;

    PodFaults(KubernetesLab lab) {
        this.lab = lab;
    }

    private void markDeleted(Pod p, Instant requested, long grace) {
        lab.markDeleted(p.getMetadata().getNamespace(), p.getMetadata().getName(), requested, grace);
    }

    private static List<PodCondition> notReady(Pod p, Instant since) {
        List<PodCondition> out = new ArrayList<>();
        for (PodCondition c : p.getStatus().getConditions()) {
            out.add(c.getType().equals("Ready") || c.getType().equals("ContainersReady")
                    ? new PodConditionBuilder(c).withStatus("False").withReason("ContainersNotReady")
                            .withMessage("containers with unready status: [" + p.getSpec().getContainers().get(0).getName() + "]")
                            .withLastTransitionTime(ts(since)).build()
                    : c);
        }
        return out;
    }

    /**
     * Pod shop/web-...x2k8p on worker-1 (a Ready node) was deleted {@code ago} with the default 30 s grace, no
     * finalizer: the kubelet sent SIGTERM and SIGKILL but cannot tear the sandbox down (a volume unmount hangs), so
     * the container is still reported running and the pod stays Terminating.
     */
    public void stuckTerminating(Duration ago) {
        Instant deleted = Instant.now().minus(ago);
        Pod p = lab.client().pods().inNamespace(APP_NAMESPACE).withName("web-7d9f8b6c4d-" + suffix(0)).get();
        markDeleted(p, deleted, 30);
        p.getStatus().setConditions(notReady(p, deleted.plusSeconds(1)));
        p.getStatus().getContainerStatuses().get(0).setReady(false);
        lab.replace(p);
    }

    /** A pod deleted 10 s ago with a 30 s grace period: shutting down as it should. */
    public void terminatingWithinGrace() {
        stuckTerminating(Duration.ofSeconds(10));
    }

    /**
     * Job shop/nightly-export's pod finished (phase Succeeded) and was deleted 40 minutes ago, but it still carries
     * the Job controller's {@code batch.kubernetes.io/job-tracking} finalizer: the kubelet is done, the object stays.
     */
    public void finalizerBlocking() {
        Instant now = Instant.now();
        Instant deleted = now.minus(40, ChronoUnit.MINUTES);
        String image = "registry.example.com/shop/export:2.0.1";
        ContainerStatus done = new ContainerStatusBuilder().withName("export").withImage(image).withReady(false)
                .withStarted(false).withRestartCount(0).withNewState().withNewTerminated().withReason("Completed")
                .withExitCode(0).withStartedAt(ts(now.minus(70, ChronoUnit.MINUTES)))
                .withFinishedAt(ts(now.minus(52, ChronoUnit.MINUTES))).endTerminated().endState().build();
        Container c = appContainer("export", image, false);
        c.setPorts(List.of());
        Pod p = pod(APP_NAMESPACE, "nightly-export-29174520-" + suffix(1), "Job", "nightly-export-29174520", null,
                NODES.get(2), now.minus(70, ChronoUnit.MINUTES), List.of(c), List.of(done), "Succeeded", false,
                defaultTolerations());
        p.getSpec().setRestartPolicy("Never");
        p.getMetadata().getOwnerReferences().get(0).setApiVersion("batch/v1");
        p.getMetadata().setFinalizers(List.of("batch.kubernetes.io/job-tracking"));
        markDeleted(p, deleted, 30);
        lab.put(p);
    }

    /**
     * worker-1 lost power 10 minutes ago; after the 300 s tolerations the taint manager deleted its pods (condition
     * DisruptionTarget, reason DeletionByTaintManager), but no kubelet can confirm, so they stay Terminating.
     */
    public void terminatingOnLostNode() {
        lab.nodes().unreachable("worker-1", Duration.ofMinutes(10));
        Instant evicted = Instant.now().minus(10, ChronoUnit.MINUTES).plus(lab.gracePeriod()).plusSeconds(300);
        for (Pod p : lab.client().pods().inNamespace(APP_NAMESPACE).list().getItems()) {
            if (!"worker-1".equals(p.getSpec().getNodeName())) {
                continue;
            }
            markDeleted(p, evicted, 30);
            List<PodCondition> conds = new ArrayList<>(p.getStatus().getConditions());
            conds.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                    .withReason("DeletionByTaintManager").withMessage("Taint manager: deleting due to NoExecute taint")
                    .withLastTransitionTime(ts(evicted)).build());
            p.getStatus().setConditions(conds);
            lab.replace(p);
        }
    }

    private Probe http(String path, int period, int timeout, int failures) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withNewPort("http").withScheme("HTTP").endHttpGet()
                .withPeriodSeconds(period).withTimeoutSeconds(timeout).withFailureThreshold(failures)
                .withSuccessThreshold(1).build();
    }

    private void deploymentWithProbes(String name, Probe readiness, Probe liveness) {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/" + name + ":1.0.0";
        Deployment d = deployment(name, 2, 2, 2, now.minus(4, ChronoUnit.DAYS), true, image);
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        c.setReadinessProbe(readiness);
        c.setLivenessProbe(liveness);
        lab.put(d);
        for (int i = 0; i < 2; i++) {
            Container pc = appContainer(name, image, true);
            pc.setReadinessProbe(readiness);
            pc.setLivenessProbe(liveness);
            lab.put(pod(APP_NAMESPACE, name + "-4c5d6e7f8-" + suffix(i), "ReplicaSet", name + "-4c5d6e7f8", "4c5d6e7f8",
                    NODES.get(1 + i), now.minus(4, ChronoUnit.DAYS), List.of(pc),
                    List.of(runningStatus(name, image, 0, now.minus(4, ChronoUnit.DAYS))), "Running", true, defaultTolerations()));
        }
    }

    /** Deployment shop/orders whose liveness probe is its readiness probe: the same GET /healthz, same timing. */
    public void livenessSameAsReadiness() {
        Probe p = http("/healthz", 10, 1, 3);
        deploymentWithProbes("orders", p, http("/healthz", 10, 1, 3));
    }

    /** Deployment shop/gateway whose liveness probe kills after one missed 1 s answer, checked every 2 s. */
    public void aggressiveLiveness() {
        deploymentWithProbes("gateway", http("/ready", 5, 1, 3), http("/healthz", 2, 1, 1));
    }

    /** A pod started by hand on worker-2 ({@code kubectl run debug-shell}): no controller owns it. */
    public void barePod() {
        Instant now = Instant.now();
        String image = "registry.example.com/tools/netshoot:0.13";
        Container c = appContainer("debug-shell", image, false);
        c.setPorts(List.of());
        Pod p = pod(APP_NAMESPACE, "debug-shell", "Pod", "debug-shell", null, NODES.get(2), now.minus(2, ChronoUnit.HOURS),
                List.of(c), List.of(runningStatus("debug-shell", image, 0, now.minus(2, ChronoUnit.HOURS))), "Running", true,
                defaultTolerations());
        p.getMetadata().setOwnerReferences(null);
        p.getMetadata().getLabels().put("run", "debug-shell");
        lab.put(p);
    }

    /** Deployment shop/thumbnailer (2 replicas, one per worker) keeps its render cache in an emptyDir volume. */
    public void emptyDir() {
        Instant now = Instant.now();
        String image = "registry.example.com/shop/thumbnailer:3.2.0";
        var volume = new VolumeBuilder().withName("render-cache").withNewEmptyDir().withSizeLimit(
                new io.fabric8.kubernetes.api.model.Quantity("2Gi")).endEmptyDir().build();
        Deployment d = deployment("thumbnailer", 2, 2, 2, now.minus(6, ChronoUnit.DAYS), true, image);
        d.getSpec().getTemplate().getSpec().setVolumes(List.of(volume));
        lab.put(d);
        for (int i = 0; i < 2; i++) {
            Pod p = pod(APP_NAMESPACE, "thumbnailer-2b3c4d5e6-" + suffix(i), "ReplicaSet", "thumbnailer-2b3c4d5e6",
                    "2b3c4d5e6", NODES.get(1 + i), now.minus(6, ChronoUnit.DAYS), List.of(appContainer("thumbnailer", image, true)),
                    List.of(runningStatus("thumbnailer", image, 0, now.minus(6, ChronoUnit.DAYS))), "Running", true,
                    defaultTolerations());
            p.getSpec().setVolumes(List.of(volume));
            lab.put(p);
        }
    }

    private void replicas(String name, List<String> nodes, Instant created) {
        replicas(name, nodes, created, java.util.function.UnaryOperator.identity());
    }

    private void replicas(String name, List<String> nodes, Instant created,
            java.util.function.UnaryOperator<Deployment> rules) {
        String image = "registry.example.com/shop/" + name + ":2.1.0";
        lab.put(rules.apply(deployment(name, nodes.size(), nodes.size(), nodes.size(), created, true, image)));
        for (int i = 0; i < nodes.size(); i++) {
            lab.put(pod(APP_NAMESPACE, name + "-5e6f7a8b9-" + suffix(i), "ReplicaSet", name + "-5e6f7a8b9", "5e6f7a8b9",
                    nodes.get(i), created, List.of(appContainer(name, image, true)),
                    List.of(runningStatus(name, image, 0, created)), "Running", true, defaultTolerations()));
        }
    }

    /**
     * Deployment shop/cart (3 replicas, no spread rule) runs entirely on worker-1: worker-2 was drained for a kernel
     * upgrade yesterday and uncordoned, and pods never move back on their own.
     */
    public void allReplicasOnOneNode() {
        replicas("cart", List.of("worker-1", "worker-1", "worker-1"), Instant.now().minus(1, ChronoUnit.DAYS));
    }

    /**
     * Deployment shop/api (2 replicas) was written without any spread rule: today the scheduler's default scoring put
     * one replica on each worker, nothing keeps it so.
     */
    public void noSpreadRules() {
        replicas("api", List.of("worker-1", "worker-2"), Instant.now().minus(5, ChronoUnit.DAYS));
    }

    /** The same shop/api with a preferred podAntiAffinity on its app label: a rule, soft but present. */
    public void softAntiAffinity() {
        replicas("api", List.of("worker-1", "worker-2"), Instant.now().minus(5, ChronoUnit.DAYS),
                KubeObjects::preferAntiAffinity);
    }

    /**
     * A third worker joins in eu-west-1a, and Deployment shop/search (2 replicas) lands on worker-1 and worker-3: two
     * nodes, one zone, while worker-2 serves eu-west-1b.
     */
    public void allReplicasInOneZone() {
        Instant now = Instant.now();
        lab.put(KubeObjects.healthyNode("worker-3", now, lab.version()));
        lab.put(KubeObjects.lease("worker-3", now.minusSeconds(4)));
        replicas("search", List.of("worker-1", "worker-3"), now.minus(3, ChronoUnit.DAYS));
    }
}
