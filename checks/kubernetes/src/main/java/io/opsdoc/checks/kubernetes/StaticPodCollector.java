package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.opsdoc.checks.kubernetes.ControlPlaneFacts.ContainerState;
import io.opsdoc.checks.kubernetes.ControlPlaneFacts.ControlPlaneNode;
import io.opsdoc.checks.kubernetes.ControlPlaneFacts.StaticPod;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The I/O behind SINGLE_CONTROL_PLANE_NODE and STATIC_POD_DOWN: nodes by the two control-plane role labels (a label
 * selector, so 5,000 workers cost nothing), the kube-system pods on each of them (the indexed spec.nodeName field
 * selector, bounded by {@link #MAX_NODES}), and GET of the EndpointSlice {@code default/kubernetes}, where the API
 * servers' endpoint reconciler lists every live API server's address.
 */
final class StaticPodCollector {
    static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";
    /** Set by kubeadm before 1.20, removed from kubeadm's nodes in 1.24, still on clusters built or upgraded before. */
    static final String MASTER_LABEL = "node-role.kubernetes.io/master";
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    static final String NAMESPACE = "kube-system";
    static final List<String> COMPONENTS = List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd");
    /** Control-plane nodes whose pods are listed: real control planes have 1, 3 or 5; more is a labelling mistake. */
    static final int MAX_NODES = 9;

    private StaticPodCollector() {
    }

    static List<ControlPlaneNode> nodes(KubeSession session) throws ProbeException {
        Map<String, ControlPlaneNode> nodes = new TreeMap<>();
        for (String label : List.of(CONTROL_PLANE_LABEL, MASTER_LABEL)) {
            session.call("list nodes labelled " + label, () -> {
                KubeSession.<NodeList, Node>pages(token -> session.client().nodes().withLabel(label).list(KubeSession.page(token)),
                        NodeList::getItems, l -> l.getMetadata() == null ? null : l.getMetadata().getContinue(),
                        n -> nodes.putIfAbsent(n.getMetadata().getName(), new ControlPlaneNode(n.getMetadata().getName(), label, ready(n))));
                return null;
            });
        }
        return new ArrayList<>(nodes.values());
    }

    /** The addresses of the EndpointSlice default/kubernetes, or null when it does not exist (404). */
    static List<String> apiserverAddresses(KubeSession session) throws ProbeException {
        EndpointSlice slice = session.call("get endpointslice default/kubernetes",
                () -> session.client().discovery().v1().endpointSlices().inNamespace("default").withName("kubernetes").get());
        if (slice == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (slice.getEndpoints() != null) {
            slice.getEndpoints().forEach(e -> {
                if (e.getAddresses() != null) {
                    out.addAll(e.getAddresses());
                }
            });
        }
        return out;
    }

    static List<StaticPod> staticPods(KubeSession session, List<ControlPlaneNode> nodes) throws ProbeException {
        List<StaticPod> pods = new ArrayList<>();
        for (ControlPlaneNode n : nodes.subList(0, Math.min(nodes.size(), MAX_NODES))) {
            session.call("list pods in " + NAMESPACE + " on node " + n.name(), () -> {
                KubeSession.<PodList, Pod>pages(token -> session.client().pods().inNamespace(NAMESPACE)
                                .withField("spec.nodeName", n.name()).list(KubeSession.page(token)),
                        PodList::getItems, l -> l.getMetadata() == null ? null : l.getMetadata().getContinue(), p -> {
                            String component = component(p, n.name());
                            if (component != null && n.name().equals(p.getSpec().getNodeName())) {
                                pods.add(staticPod(p, component, n.name()));
                            }
                        });
                return null;
            });
        }
        return pods;
    }

    /**
     * The component a mirror pod runs, or null when the pod is not one: kubeadm labels them {@code component=<name>};
     * other installers at least keep the kubelet's naming, {@code <manifest pod name>-<node>}.
     */
    static String component(Pod p, String node) {
        var meta = p.getMetadata();
        if (meta.getAnnotations() == null || !meta.getAnnotations().containsKey(MIRROR_ANNOTATION)) {
            return null;
        }
        String label = meta.getLabels() == null ? null : meta.getLabels().get("component");
        if (label != null && COMPONENTS.contains(label)) {
            return label;
        }
        return COMPONENTS.stream().filter(c -> meta.getName().equals(c + "-" + node)).findFirst().orElse(null);
    }

    private static StaticPod staticPod(Pod p, String component, String node) {
        var status = p.getStatus();
        boolean ready = status != null && status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        List<ContainerState> containers = new ArrayList<>();
        if (status != null && status.getContainerStatuses() != null) {
            for (ContainerStatus cs : status.getContainerStatuses()) {
                containers.add(container(cs));
            }
        }
        return new StaticPod(p.getMetadata().getName(), component, node, status == null ? null : status.getPhase(), ready,
                containers);
    }

    private static ContainerState container(ContainerStatus cs) {
        var st = cs.getState();
        String state = "unknown";
        String reason = null;
        Integer exit = null;
        if (st != null && st.getRunning() != null) {
            state = "running";
        } else if (st != null && st.getWaiting() != null) {
            state = "waiting";
            reason = st.getWaiting().getReason();
        } else if (st != null && st.getTerminated() != null) {
            state = "terminated";
            reason = st.getTerminated().getReason();
            exit = st.getTerminated().getExitCode();
        }
        var last = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
        return new ContainerState(cs.getName(), Boolean.TRUE.equals(cs.getReady()), state, reason, exit,
                cs.getRestartCount() == null ? 0 : cs.getRestartCount(), last == null ? null : last.getReason(),
                last == null ? null : last.getExitCode());
    }

    private static Boolean ready(Node n) {
        if (n.getStatus() == null || n.getStatus().getConditions() == null) {
            return null;
        }
        return n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(c -> "True".equals(c.getStatus())).findFirst().orElse(null);
    }
}
