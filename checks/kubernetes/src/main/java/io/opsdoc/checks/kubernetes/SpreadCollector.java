package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.opsdoc.checks.kubernetes.SpreadFacts.ReadyPod;
import io.opsdoc.checks.kubernetes.SpreadFacts.Spreadable;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The I/O half of {@link ReplicaSpread}: Deployments, StatefulSets, their ready pods, nodes' zone labels. */
final class SpreadCollector {
    static final String ZONE = "topology.kubernetes.io/zone";

    private SpreadCollector() {
    }

    static SpreadFacts collect(CheckContext context) throws ProbeException {
        String namespace = context.parameters().string("namespace");
        try (KubeSession session = KubeSession.open(context, ReplicaSpread.ID)) {
            var client = session.client();
            List<Spreadable> workloads = new ArrayList<>();
            KubeLists.each(session, "deployments", client.apps().deployments(), namespace, d -> workloads.add(new Spreadable(
                    "Deployment", d.getMetadata().getNamespace(), d.getMetadata().getName(),
                    d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(), rules(d.getSpec().getTemplate().getSpec()))));
            KubeLists.each(session, "statefulsets", client.apps().statefulSets(), namespace, s -> workloads.add(new Spreadable(
                    "StatefulSet", s.getMetadata().getNamespace(), s.getMetadata().getName(),
                    s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas(), rules(s.getSpec().getTemplate().getSpec()))));
            List<ReadyPod> pods = new ArrayList<>();
            KubeLists.each(session, "pods", client.pods(), namespace, p -> {
                String[] owner = PodOwners.of(p);
                if (owner[0] != null && PodOwners.ready(p) && p.getMetadata().getDeletionTimestamp() == null
                        && p.getSpec() != null && p.getSpec().getNodeName() != null) {
                    pods.add(new ReadyPod(p.getMetadata().getNamespace() + "/" + owner[0] + "/" + owner[1],
                            p.getMetadata().getName(), p.getSpec().getNodeName()));
                }
            });
            Map<String, String> zones = new HashMap<>();
            session.call("list nodes", () -> {
                KubeSession.<NodeList, Node>pages(t -> client.nodes().list(KubeSession.page(t)), NodeList::getItems,
                        l -> l.getMetadata().getContinue(), n -> {
                            String zone = n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(ZONE);
                            if (zone != null) {
                                zones.put(n.getMetadata().getName(), zone);
                            }
                        });
                return null;
            });
            return new SpreadFacts(namespace, workloads, pods, zones);
        }
    }

    private static List<String> rules(PodSpec spec) {
        List<String> rules = new ArrayList<>();
        if (spec == null) {
            return rules;
        }
        if (spec.getAffinity() != null && spec.getAffinity().getPodAntiAffinity() != null) {
            rules.add("podAntiAffinity");
        }
        if (spec.getTopologySpreadConstraints() != null) {
            spec.getTopologySpreadConstraints().forEach(c -> rules.add("topologySpreadConstraints(" + c.getTopologyKey()
                    + ", " + c.getWhenUnsatisfiable() + ")"));
        }
        return rules;
    }
}
