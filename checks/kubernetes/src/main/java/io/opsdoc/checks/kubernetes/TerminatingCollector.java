package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsdoc.checks.kubernetes.TerminatingFacts.TermPod;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The I/O half of {@link PodTermination}: pods (keeping those with a deletionTimestamp) and nodes' Ready status. */
final class TerminatingCollector {
    private TerminatingCollector() {
    }

    static TerminatingFacts collect(CheckContext context) throws ProbeException {
        String namespace = context.parameters().string("namespace");
        try (KubeSession session = KubeSession.open(context, PodTermination.ID)) {
            var client = session.client();
            List<TermPod> pods = new ArrayList<>();
            KubeLists.each(session, "pods", client.pods(), namespace, p -> {
                if (p.getMetadata().getDeletionTimestamp() != null) {
                    pods.add(pod(p));
                }
            });
            Map<String, String> ready = new HashMap<>();
            if (!pods.isEmpty()) {
                session.call("list nodes", () -> {
                    KubeSession.<NodeList, Node>pages(t -> client.nodes().list(KubeSession.page(t)), NodeList::getItems,
                            l -> l.getMetadata().getContinue(), n -> ready.put(n.getMetadata().getName(), readiness(n)));
                    return null;
                });
            }
            return new TerminatingFacts(Instant.now(), namespace, pods, ready);
        }
    }

    private static String readiness(Node n) {
        if (n.getStatus() == null || n.getStatus().getConditions() == null) {
            return "Unknown";
        }
        return n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).map(c -> c.getStatus())
                .findFirst().orElse("Unknown");
    }

    private static TermPod pod(Pod p) {
        String[] owner = PodOwners.of(p);
        var meta = p.getMetadata();
        Long grace = meta.getDeletionGracePeriodSeconds() != null ? meta.getDeletionGracePeriodSeconds()
                : p.getSpec() == null ? null : p.getSpec().getTerminationGracePeriodSeconds();
        return new TermPod(meta.getNamespace(), meta.getName(), owner[0], owner[1],
                p.getSpec() == null ? null : p.getSpec().getNodeName(), p.getStatus() == null ? null : p.getStatus().getPhase(),
                NodeCollector.time(meta.getDeletionTimestamp()), grace,
                meta.getFinalizers() == null ? List.of() : List.copyOf(meta.getFinalizers()));
    }
}
