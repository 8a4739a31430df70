package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.ts;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The control-plane objects of a kubeadm cluster as the API server returns them to k8s-control-plane: the
 * control-plane nodes (role label and NoSchedule taint), the mirror pods each node's kubelet posts for the four static
 * pods of /etc/kubernetes/manifests (name {@code <component>-<node>}, labels {@code component} and
 * {@code tier=control-plane}, annotations {@code kubernetes.io/config.mirror}/{@code config.hash}/{@code config.source},
 * owned by the Node, hostNetwork, priority class system-node-critical), and the EndpointSlice
 * {@code default/kubernetes} the API servers keep listing themselves in.
 */
final class StaticPodObjects {
    static final List<String> COMPONENTS = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private StaticPodObjects() {
    }

    /** cp-1 is 10.0.0.11, cp-2 10.0.0.12, ... */
    static String address(String node) {
        return "10.0.0." + (10 + Integer.parseInt(node.substring(node.lastIndexOf('-') + 1)));
    }

    /** The control-plane nodes as kubeadm labels them, the role label replaced by {@code roleLabel} (null: none). */
    static String nodeList(List<String> nodes, String version, String roleLabel) {
        Instant now = Instant.now();
        List<Node> items = nodes.stream().map(n -> {
            Node node = KubeObjects.healthyNode(n, now, version);
            node.getMetadata().getLabels().remove(KubeObjects.CONTROL_PLANE_TAINT);
            if (roleLabel != null) {
                node.getMetadata().getLabels().put(roleLabel, "");
            }
            return node;
        }).toList();
        return JSON.asJson(new NodeListBuilder().withNewMetadata().withResourceVersion("48213").endMetadata()
                .withItems(items).build());
    }

    static String podList(List<Pod> pods) {
        return JSON.asJson(new PodListBuilder().withNewMetadata().withResourceVersion("48213").endMetadata()
                .withItems(pods).build());
    }

    static String apiserverSlice(List<String> nodes) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName("kubernetes").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", "kubernetes").withResourceVersion("48190")
                .withCreationTimestamp(ts(Instant.now().minus(40, ChronoUnit.DAYS))).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("https").withPort(6443).withProtocol("TCP").endPort();
        for (String n : nodes) {
            b.addToEndpoints(new EndpointBuilder().withAddresses(address(n)).withNewConditions().withReady(true).endConditions().build());
        }
        EndpointSlice slice = b.build();
        return JSON.asJson(slice);
    }

    /** The mirror pod of {@code component} on {@code node}, Running and Ready since the node came up. */
    static Pod running(String component, String node) {
        Instant started = Instant.now().minus(30, ChronoUnit.DAYS);
        ContainerStatus cs = status(component).withReady(true).withStarted(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(ts(started)).endRunning().endState().build();
        return pod(component, node, "True", cs);
    }

    /**
     * The same pod while its container crash-loops (a bad flag in the manifest, a certificate it cannot read): the
     * kubelet restarted it {@code restarts} times, the last run ended with exit 1 (Error), now CrashLoopBackOff.
     */
    static Pod crashLooping(String component, String node, int restarts) {
        Instant now = Instant.now();
        ContainerStatus cs = status(component).withReady(false).withStarted(false).withRestartCount(restarts)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 5m0s restarting "
                        + "failed container=" + component + " pod=" + component + "-" + node + "_kube-system("
                        + hash(component, node) + ")").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1)
                .withStartedAt(ts(now.minusSeconds(95))).withFinishedAt(ts(now.minusSeconds(94))).endTerminated().endLastState()
                .build();
        return pod(component, node, "False", cs);
    }

    private static ContainerStatusBuilder status(String component) {
        String version = component.equals("etcd") ? "3.5.15-0" : KubernetesLab.DEFAULT_VERSION;
        return new ContainerStatusBuilder().withName(component).withImage("registry.k8s.io/" + component + ":" + version)
                .withImageID("registry.k8s.io/" + component + "@sha256:" + hash(component, "image") + hash(component, "id"))
                .withContainerID("containerd://" + hash(component, "c") + hash(component, "d"));
    }

    private static Pod pod(String component, String node, String ready, ContainerStatus cs) {
        Instant created = Instant.now().minus(30, ChronoUnit.DAYS);
        String hash = hash(component, node);
        List<PodCondition> conditions = new ArrayList<>();
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
            boolean follows = type.equals("Ready") || type.equals("ContainersReady");
            String status = follows ? ready : "True";
            PodConditionBuilder c = new PodConditionBuilder().withType(type).withStatus(status)
                    .withLastTransitionTime(ts(follows && status.equals("False") ? Instant.now().minusSeconds(600) : created));
            if (status.equals("False")) {
                c.withReason(type.equals("Ready") ? "ContainersNotReady" : "ContainersNotReady")
                        .withMessage("containers with unready status: [" + component + "]");
            }
            conditions.add(c.build());
        }
        PodBuilder b = new PodBuilder().withNewMetadata().withName(component + "-" + node).withNamespace("kube-system")
                .withUid(UUID.nameUUIDFromBytes((component + node).getBytes()).toString())
                .withCreationTimestamp(ts(created))
                .addToLabels("component", component).addToLabels("tier", "control-plane")
                .addToAnnotations("kubernetes.io/config.hash", hash).addToAnnotations("kubernetes.io/config.mirror", hash)
                .addToAnnotations("kubernetes.io/config.seen", created.toString()).addToAnnotations("kubernetes.io/config.source", "file")
                .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(node)
                .withUid(UUID.nameUUIDFromBytes(node.getBytes()).toString()).withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName(node).withHostNetwork(true).withPriorityClassName("system-node-critical")
                .withPriority(2000001000).addNewContainer().withName(component).withImage(cs.getImage()).endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withHostIP(address(node)).withPodIP(address(node))
                .withQosClass("Burstable").withStartTime(ts(created)).withConditions(conditions)
                .withContainerStatuses(cs).endStatus();
        if (component.equals("kube-apiserver")) {
            b.editMetadata().addToAnnotations("kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint",
                    address(node) + ":6443").endMetadata();
        }
        return b.build();
    }

    private static String hash(String a, String b) {
        return UUID.nameUUIDFromBytes((a + "/" + b).getBytes()).toString().replace("-", "");
    }
}
