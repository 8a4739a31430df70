package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.CniCode.*;

import io.opsdoc.checks.kubernetes.CniFacts.NodeNet;
import io.opsdoc.checks.kubernetes.DaemonSetState.DaemonPod;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Is the pod network up on every node? The network plugin's agent (Flannel's kube-flannel-ds, Calico's calico-node,
 * Cilium's cilium DaemonSet) must run Ready on every node: where it does not, new pods get no network (sandbox
 * creation fails) and, for routed plugins, that node's pods become unreachable. Also flags Flannel's udp backend and
 * nodes whose NetworkUnavailable condition is True. BGP session state (calicoctl node status) lives on the nodes,
 * not in the API: {@link CalicoBgp} reads it on each node.
 */
public final class CniHealth extends DescribedCheck<CniFacts> {
    public static final String ID = "k8s-cni";
    static final String NOTE = "kubernetes/networking";

    private static final List<ParameterSpec> PARAMETERS = List.of();

    private static final List<GrantSet> GRANTS = List.of(
            KubeGrants.clusterRole(ID, "Lists DaemonSets (to find the CNI agent), their pods, and nodes.",
                    new KubeGrants.Rule("", List.of("pods", "nodes")), new KubeGrants.Rule("apps", List.of("daemonsets"))),
            KubeGrants.namedRole(ID + "-flannel-cfg", "kube-flannel", "Reads Flannel's net-conf.json.", "", "configmaps",
                    List.of(CniCollector.FLANNEL_CONFIGMAP)),
            KubeGrants.namedRole(ID + "-flannel-cfg", "kube-system", "Reads Flannel's net-conf.json where manifests "
                    + "before Flannel v0.20 put it.", "", "configmaps", List.of(CniCollector.FLANNEL_CONFIGMAP)));

    public CniHealth() {
        super(ID, KubeTarget.SCHEME, "Is the Kubernetes pod network (Flannel, Calico, Cilium agent) up on every node?",
                CniFacts.class, PARAMETERS, CniCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public CniFacts collect(CheckContext context) throws Exception {
        return CniCollector.collect(context);
    }

    @Override
    public void evaluate(CniFacts facts, Parameters p, Evaluation.Builder out) {
        List<String> nodeNames = facts.nodes().stream().map(NodeNet::name).toList();
        for (DaemonSetState ds : facts.agents()) {
            out.metric(new Metric("cni_agent_pods_ready", ds.ready(), "", Map.of("daemonset", ds.id()), null,
                    (double) ds.desired()));
            List<DaemonPod> notReady = ds.notReady();
            List<String> missing = ds.nodesWithoutPod(nodeNames);
            if (ds.ready() >= ds.desired() && notReady.isEmpty() && missing.isEmpty()) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            if (!notReady.isEmpty()) {
                parts.add("not Ready: " + notReady.stream().map(DaemonPod::describe).collect(Collectors.joining(", ")));
            }
            if (!missing.isEmpty()) {
                parts.add("no agent pod at all on " + String.join(", ", missing));
            }
            out.finding(CNI_POD_NOT_READY, Severity.CRITICAL, plugin(ds.name()) + " agent DaemonSet " + ds.id() + ": "
                    + ds.ready() + " of " + ds.desired() + " pods Ready; " + String.join("; ", parts) + ". On those nodes "
                    + "new pods get no network (they stay ContainerCreating with 'failed to setup network for sandbox') "
                    + "and the kubelet may report NotReady 'cni plugin not initialized'; read the agent's log (kubectl -n "
                    + ds.namespace() + " logs POD --previous) and its events",
                    Evidence.of("daemonset", ds.id(), "desired", ds.desired(), "ready", ds.ready(), "not_ready",
                            notReady.stream().map(DaemonPod::describe).collect(Collectors.joining(", ")),
                            "nodes_without_pod", String.join(", ", missing)), ds.id());
        }
        if (facts.flannelBackend() != null && facts.flannelBackend().equalsIgnoreCase("udp")) {
            out.finding(FLANNEL_UDP_BACKEND, Severity.WARNING, "Flannel's " + facts.flannelConfigMap() + " sets "
                    + "net-conf.json Backend.Type \"udp\": every packet between nodes is copied through the flanneld "
                    + "process in user space (the flannel0 TUN device). Flannel documents udp for debugging only and it "
                    + "is deprecated; switch to vxlan (or host-gw when all nodes share one L2 network) in a maintenance "
                    + "window: change the ConfigMap, then restart the kube-flannel pods node by node",
                    Evidence.of("configmap", facts.flannelConfigMap(), "backend", facts.flannelBackend()), "flannel");
        }
        List<NodeNet> unavailable = facts.nodes().stream().filter(n -> "True".equals(n.networkUnavailable())).toList();
        if (!unavailable.isEmpty()) {
            String list = unavailable.stream().map(n -> n.name() + " (" + n.reason() + (n.since() == null ? "" : " since "
                    + n.since()) + ")").collect(Collectors.joining(", "));
            out.finding(NETWORK_UNAVAILABLE, Severity.CRITICAL, unavailable.size() + " of " + facts.nodes().size()
                    + " nodes report NetworkUnavailable=True: " + list + ". The network plugin (or the cloud route "
                    + "controller) has not set up these nodes' pod network, so they carry the "
                    + "node.kubernetes.io/network-unavailable taint and get no new pods; look at the CNI agent on them "
                    + "and, on clouds, at kube-controller-manager's route controller",
                    Evidence.of("nodes", unavailable.stream().map(NodeNet::name).collect(Collectors.joining(", ")),
                            "reason", unavailable.get(0).reason(), "message", unavailable.get(0).message()),
                    unavailable.get(0).name());
        }
    }

    private static String plugin(String daemonSet) {
        return daemonSet.startsWith("kube-flannel") ? "Flannel" : daemonSet.equals("calico-node") ? "Calico"
                : daemonSet.equals("cilium") ? "Cilium" : daemonSet;
    }
}
