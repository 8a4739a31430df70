package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubernetesLab.APP_NAMESPACE;
import static io.opsdoc.lab.kubernetes.KubernetesLab.NODES;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of the lab cluster, built with Fabric8's model builders the way the components that own
 * them would have written them: nodes and their conditions as the kubelet posts them, Leases as it renews them,
 * taints as the node-lifecycle controller adds them, workloads and pods with the status their controllers and the
 * kubelet report. Timestamps are second-truncated RFC 3339, as the API server serialises them.
 */
final class KubeObjects {
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    static final String CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane";
    static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

    private KubeObjects() {
    }

    static String suffix(int i) {
        return List.of("x2k8p", "m4q7z", "b9t3w", "h6r2n", "c5v8s").get(i % 5);
    }

    /** cp-1 and worker-1 in eu-west-1a, worker-2 in eu-west-1b; nodes added by faults in eu-west-1a. */
    static String zone(String node) {
        return node.equals("worker-2") ? "eu-west-1b" : "eu-west-1a";
    }

    static Node healthyNode(String name, Instant now, String version) {
        boolean controlPlane = name.startsWith("cp-");
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
                .withCreationTimestamp(ts(now.minus(30, ChronoUnit.DAYS)))
                .addToLabels("kubernetes.io/hostname", name).addToLabels("kubernetes.io/os", "linux")
                // the cloud provider labels every node with its zone: the workers sit in two zones
                .addToLabels("topology.kubernetes.io/region", "eu-west-1")
                .addToLabels("topology.kubernetes.io/zone", zone(name))
                .endMetadata()
                .withNewSpec().withPodCIDR("10.244." + (NODES.indexOf(name) < 0 ? 9 : NODES.indexOf(name)) + ".0/24").endSpec()
                .withNewStatus()
                .withConditions(healthyConditions(now))
                .addToCapacity("cpu", new Quantity("4")).addToCapacity("memory", new Quantity("16Gi"))
                .addToCapacity("pods", new Quantity("110"))
                .addToAllocatable("cpu", new Quantity("3800m")).addToAllocatable("memory", new Quantity("15Gi"))
                .addToAllocatable("pods", new Quantity("110"))
                .withNewNodeInfo().withKubeletVersion(version)
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

    static List<NodeCondition> healthyConditions(Instant now) {
        Instant heartbeat = now.minusSeconds(20);
        Instant since = now.minus(30, ChronoUnit.DAYS);
        return List.of(
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", heartbeat, since),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", heartbeat, since),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", heartbeat, since),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", heartbeat, since),
                condition("NetworkUnavailable", "False", "RouteCreated", "RouteController created a route", since, since));
    }

    static NodeCondition condition(String type, String status, String reason, String message, Instant heartbeat,
            Instant transition) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(ts(heartbeat)).withLastTransitionTime(ts(transition)).build();
    }

    static Lease lease(String node, Instant renewed) {
        return new LeaseBuilder().withNewMetadata().withName(node).withNamespace(NODE_LEASE_NAMESPACE).endMetadata()
                .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(40)
                .withRenewTime(ZonedDateTime.ofInstant(renewed.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC)).endSpec()
                .build();
    }

    static Taint taint(String key, String effect, Instant added) {
        return new TaintBuilder().withKey(key).withEffect(effect).withTimeAdded(ts(added)).build();
    }

    static Deployment deployment(String name, int replicas, int ready, int available, Instant created, boolean probes) {
        return deployment(name, replicas, ready, available, created, probes, "registry.example.com/shop/" + name + ":1.0.0");
    }

    static Deployment deployment(String name, int replicas, int ready, int available, Instant created, boolean probes,
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

    /** The template gains what a careful owner writes: maxSkew 1 over kubernetes.io/hostname, DoNotSchedule. */
    static Deployment spreadByHostname(Deployment d) {
        String app = d.getMetadata().getName();
        return new DeploymentBuilder(d).editSpec().editTemplate().editSpec().addNewTopologySpreadConstraint().withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname").withWhenUnsatisfiable("DoNotSchedule")
                .withNewLabelSelector().addToMatchLabels("app", app).endLabelSelector().endTopologySpreadConstraint()
                .endSpec().endTemplate().endSpec().build();
    }

    /** The template gains a soft anti-affinity on its own app label over kubernetes.io/hostname, weight 100. */
    static Deployment preferAntiAffinity(Deployment d) {
        String app = d.getMetadata().getName();
        return new DeploymentBuilder(d).editSpec().editTemplate().editSpec().withNewAffinity().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100).withNewPodAffinityTerm()
                .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector().addToMatchLabels("app", app)
                .endLabelSelector().endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().endAffinity().endSpec().endTemplate().endSpec().build();
    }

    static DeploymentCondition progressingComplete(String name, Instant created) {
        return new DeploymentConditionBuilder().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable")
                .withMessage("ReplicaSet \"" + name + "\" has successfully progressed.")
                .withLastTransitionTime(ts(created)).withLastUpdateTime(ts(created.plusSeconds(60))).build();
    }

    static StatefulSet statefulSet(String name, int replicas, int ready, Instant now) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace(APP_NAMESPACE).withGeneration(1L)
                .withCreationTimestamp(ts(now.minus(3, ChronoUnit.DAYS))).addToLabels("app", name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name).withNewSelector().addToMatchLabels("app", name)
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(appContainer(name, "postgres:16.4", true)).endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).withReadyReplicas(ready)
                .withAvailableReplicas(ready).withCurrentReplicas(replicas).withUpdatedReplicas(replicas).endStatus()
                .build();
    }

    static DaemonSet daemonSet(String name, Instant now, String version) {
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

    static Pod daemonPod(String name, String node, Instant now, String version) {
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

    static Pod workloadPod(String app, String name, String node, Instant now) {
        String image = "registry.example.com/shop/" + app + ":1.0.0";
        String hash = name.substring(app.length() + 1, name.lastIndexOf('-'));
        return pod(APP_NAMESPACE, name, "ReplicaSet", app + "-" + hash, hash, node, now.minus(5, ChronoUnit.DAYS),
                List.of(appContainer(app, image, true)), List.of(runningStatus(app, image, 0, now.minus(5, ChronoUnit.DAYS))),
                "Running", true, defaultTolerations());
    }

    /** The tolerations the DefaultTolerationSeconds admission plugin adds to every pod that sets none: 300 s. */
    static List<Toleration> defaultTolerations() {
        return List.of(
                new TolerationBuilder().withKey(NOT_READY_TAINT).withOperator("Exists").withEffect("NoExecute")
                        .withTolerationSeconds(300L).build(),
                new TolerationBuilder().withKey(UNREACHABLE_TAINT).withOperator("Exists").withEffect("NoExecute")
                        .withTolerationSeconds(300L).build());
    }

    static Container appContainer(String name, String image, boolean probes) {
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

    static ResourceRequirements resources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
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

    static ContainerStatus runningStatus(String name, String image, int restarts, Instant since) {
        return new ContainerStatusBuilder().withName(name).withImage(image).withReady(true).withStarted(true)
                .withRestartCount(restarts).withNewState().withNewRunning().withStartedAt(ts(since)).endRunning().endState()
                .build();
    }

    static Pod pod(String namespace, String name, String ownerKind, String ownerName, String templateHash, String node,
            Instant created, List<Container> containers, List<ContainerStatus> statuses,
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

    static PodCondition podCondition(String type, String status, Instant when) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(ts(when)).build();
    }

    static String ts(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
