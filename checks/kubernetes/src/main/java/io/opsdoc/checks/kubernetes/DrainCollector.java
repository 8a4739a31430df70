package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.opsdoc.checks.kubernetes.DrainFacts.DrainPod;
import io.opsdoc.checks.kubernetes.DrainFacts.Pdb;
import io.opsdoc.checks.kubernetes.DrainFacts.Requirement;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The I/O half of {@link DrainReadiness}: nodes, all pods (compact), PodDisruptionBudgets. */
final class DrainCollector {
    private DrainCollector() {
    }

    static DrainFacts collect(CheckContext context) throws ProbeException {
        String node = context.parameters().string("node");
        try (KubeSession session = KubeSession.open(context, DrainReadiness.ID)) {
            var client = session.client();
            List<String> nodes = new ArrayList<>();
            session.call("list nodes", () -> {
                KubeSession.<NodeList, Node>pages(t -> client.nodes().list(KubeSession.page(t)), NodeList::getItems,
                        l -> l.getMetadata().getContinue(), n -> nodes.add(n.getMetadata().getName()));
                return null;
            });
            if (!node.isEmpty() && !nodes.contains(node)) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "no node named '" + node + "' in the cluster ("
                        + nodes.size() + " nodes: " + String.join(", ", nodes.stream().limit(10).toList())
                        + (nodes.size() > 10 ? ", ..." : "") + ")");
            }
            List<DrainPod> pods = new ArrayList<>();
            KubeLists.each(session, "pods", client.pods(), "", p -> pods.add(pod(p)));
            List<Pdb> pdbs = new ArrayList<>();
            KubeLists.each(session, "poddisruptionbudgets", client.policy().v1().podDisruptionBudget(), "", b -> pdbs.add(pdb(b)));
            return new DrainFacts(node, nodes, pods, pdbs);
        }
    }

    private static DrainPod pod(Pod p) {
        String[] owner = PodOwners.of(p);
        var meta = p.getMetadata();
        List<String> emptyDirs = new ArrayList<>();
        if (p.getSpec() != null && p.getSpec().getVolumes() != null) {
            for (Volume v : p.getSpec().getVolumes()) {
                if (v.getEmptyDir() != null) {
                    emptyDirs.add(v.getName());
                }
            }
        }
        boolean mirror = meta.getAnnotations() != null && meta.getAnnotations().containsKey("kubernetes.io/config.mirror");
        return new DrainPod(meta.getNamespace(), meta.getName(), p.getSpec() == null ? null : p.getSpec().getNodeName(),
                owner[0], owner[1], meta.getLabels() == null ? Map.of() : Map.copyOf(meta.getLabels()),
                p.getStatus() == null ? null : p.getStatus().getPhase(), PodOwners.ready(p), meta.getDeletionTimestamp() != null,
                mirror, emptyDirs);
    }

    private static Pdb pdb(PodDisruptionBudget b) {
        var sel = b.getSpec() == null ? null : b.getSpec().getSelector();
        List<Requirement> expressions = new ArrayList<>();
        if (sel != null && sel.getMatchExpressions() != null) {
            sel.getMatchExpressions().forEach(e -> expressions.add(new Requirement(e.getKey(), e.getOperator(),
                    e.getValues() == null ? List.of() : List.copyOf(e.getValues()))));
        }
        var st = b.getStatus();
        return new Pdb(b.getMetadata().getNamespace(), b.getMetadata().getName(),
                sel == null || sel.getMatchLabels() == null ? Map.of() : Map.copyOf(sel.getMatchLabels()), expressions,
                // policy/v1: a null selector selects no pod (an empty one selects every pod of the namespace)
                sel == null, st == null || st.getDisruptionsAllowed() == null ? 0 : st.getDisruptionsAllowed(),
                st == null || st.getCurrentHealthy() == null ? 0 : st.getCurrentHealthy(),
                st == null || st.getDesiredHealthy() == null ? 0 : st.getDesiredHealthy(),
                st == null || st.getExpectedPods() == null ? 0 : st.getExpectedPods());
    }
}
