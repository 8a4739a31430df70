package io.opsdoc.checks.kubernetes;

import io.opsdoc.checks.kubernetes.ControlPlaneFacts.ContainerState;
import io.opsdoc.checks.kubernetes.ControlPlaneFacts.ControlPlaneNode;
import io.opsdoc.checks.kubernetes.ControlPlaneFacts.StaticPod;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The topology half of {@code k8s-control-plane}: how many control-plane nodes there are, and whether each runs its
 * control-plane static pods Ready. A component counts as "run as a static pod" when at least one control-plane node
 * has its mirror pod; it is then expected on every control-plane node (kubeadm puts all four, etcd only when stacked,
 * on each). Clusters whose control plane runs as systemd units, or is managed and hidden, have no mirror pods and
 * therefore no STATIC_POD_DOWN.
 */
final class StaticPods {
    private StaticPods() {
    }

    static void evaluate(ControlPlaneFacts facts, Evaluation.Builder out) {
        List<ControlPlaneNode> nodes = facts.controlPlaneNodes();
        if (nodes == null) {
            return;
        }
        single(facts, nodes, out);
        List<StaticPod> pods = facts.staticPods() == null ? List.of() : facts.staticPods();
        Set<String> expected = new LinkedHashSet<>();
        StaticPodCollector.COMPONENTS.stream().filter(c -> pods.stream().anyMatch(p -> p.component().equals(c))).forEach(expected::add);
        List<ControlPlaneNode> looked = nodes.subList(0, Math.min(nodes.size(), StaticPodCollector.MAX_NODES));
        for (String component : expected) {
            int readyAnywhere = (int) pods.stream().filter(p -> p.component().equals(component) && p.ready()).count();
            for (ControlPlaneNode n : looked) {
                Optional<StaticPod> pod = pods.stream().filter(p -> p.component().equals(component) && p.node().equals(n.name())).findFirst();
                if (pod.isPresent() && pod.get().ready()) {
                    continue;
                }
                // the others still serve: degraded, not down; none Ready anywhere: the component is down
                Severity severity = readyAnywhere == 0 ? Severity.CRITICAL : Severity.WARNING;
                String others = readyAnywhere == 0 ? "no " + component + " is Ready on any of the " + looked.size()
                        + " control-plane node(s), so " + impact(component)
                        : readyAnywhere + " other " + component + " instance(s) are Ready, so the cluster still works "
                                + "but has lost redundancy";
                String node = n.name() + (Boolean.FALSE.equals(n.ready()) ? " (itself NotReady: see k8s-node-notready)" : "");
                if (pod.isEmpty()) {
                    out.finding(ControlPlaneCode.STATIC_POD_DOWN, severity, "no " + component + " mirror pod on control-plane "
                            + "node " + node + ": the kubelet there does not run /etc/kubernetes/manifests/" + component
                            + ".yaml (file moved away or invalid) or cannot post its mirror pod; " + others + ". On the node: "
                            + "ls /etc/kubernetes/manifests; crictl ps -a --name " + component + "; journalctl -u kubelet",
                            Evidence.of("component", component, "node", n.name(), "pod", component + "-" + n.name(),
                                    "mirror_pod", "missing", "ready_instances", readyAnywhere), component + "/" + n.name());
                    continue;
                }
                StaticPod p = pod.get();
                String containers = p.containers().stream().map(StaticPods::describe).collect(Collectors.joining("; "));
                int restarts = p.containers().stream().mapToInt(ContainerState::restarts).sum();
                Evidence e = Evidence.of("component", component, "node", n.name(), "pod", p.name(), "phase", p.phase(),
                        "ready", false, "containers", containers.isEmpty() ? null : containers, "restarts", restarts,
                        "ready_instances", readyAnywhere);
                waiting(p).ifPresent(r -> e.put("waiting_reason", r));
                out.finding(ControlPlaneCode.STATIC_POD_DOWN, severity, "static pod kube-system/" + p.name() + " on "
                        + "control-plane node " + node + " is not Ready (phase " + p.phase() + (containers.isEmpty() ? ""
                        : "; " + containers) + "); " + others + ". Its manifest is /etc/kubernetes/manifests/" + component
                        + ".yaml on that node: read the container's log there (crictl logs), since kubectl logs needs a "
                        + "working API server", e, component + "/" + n.name());
            }
        }
    }

    private static void single(ControlPlaneFacts facts, List<ControlPlaneNode> nodes, Evaluation.Builder out) {
        List<String> addresses = facts.apiserverAddresses();
        if (nodes.size() == 1) {
            ControlPlaneNode n = nodes.get(0);
            out.finding(ControlPlaneCode.SINGLE_CONTROL_PLANE_NODE, Severity.WARNING, "only one control-plane node ("
                    + n.name() + ", labelled " + n.label() + "): its API server, etcd, controller manager and scheduler "
                    + "have no second instance, so a reboot, a full disk or a lost node stops every change to the cluster "
                    + "(running pods keep running, nothing is scheduled, healed or scaled) and losing its etcd data loses "
                    + "the cluster. Run three control-plane nodes (an odd number, for etcd's quorum) behind a load balancer",
                    Evidence.of("control_plane_nodes", 1, "node", n.name(), "label", n.label(), "apiserver_addresses",
                            addresses == null ? null : String.join(",", addresses)), "control-plane-nodes");
        } else if (nodes.isEmpty() && addresses != null && addresses.size() == 1) {
            // no labelled node (custom install or hidden control plane): the API server endpoints still count them
            out.finding(ControlPlaneCode.SINGLE_CONTROL_PLANE_NODE, Severity.WARNING, "the EndpointSlice default/kubernetes "
                    + "lists one API server address (" + addresses.get(0) + ") and no node carries a control-plane role "
                    + "label: a single API server, so losing it stops every change to the cluster",
                    Evidence.of("control_plane_nodes", 0, "apiserver_addresses", addresses.get(0)), "control-plane-nodes");
        }
    }

    private static String impact(String component) {
        return switch (component) {
            case "kube-apiserver" -> "the API is served by no control-plane node (kubectl, kubelets and controllers fail)";
            case "etcd" -> "the cluster store is down: the API server cannot read or write anything";
            case "kube-scheduler" -> "new pods stay Pending";
            default -> "no controller reconciles (Deployments, node eviction, Endpoints stand still)";
        };
    }

    private static Optional<String> waiting(StaticPod p) {
        return p.containers().stream().filter(c -> "waiting".equals(c.state()) && c.reason() != null)
                .map(ContainerState::reason).findFirst();
    }

    private static String describe(ContainerState c) {
        List<String> parts = new ArrayList<>();
        parts.add(c.state() + (c.reason() == null ? "" : " " + c.reason()) + (c.exitCode() == null ? "" : " exit " + c.exitCode()));
        parts.add(c.restarts() + " restarts");
        if (c.lastReason() != null) {
            parts.add("last run ended " + c.lastReason() + (c.lastExitCode() == null ? "" : " exit " + c.lastExitCode()));
        }
        return "container " + c.name() + " " + String.join(", ", parts);
    }
}
