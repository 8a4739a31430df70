package io.opsdoc.checks.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetList;
import io.opsdoc.checks.kubernetes.CniFacts.NodeNet;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The I/O half of {@link CniHealth}: list DaemonSets in all namespaces keeping the known CNI agents, list each one's
 * pods, GET Flannel's ConfigMap by name in the agent's namespace, list nodes.
 */
final class CniCollector {
    /** Agent DaemonSet names of the upstream manifests (kube-flannel-ds-amd64: Flannel before v0.12). */
    static final Set<String> AGENTS = Set.of("kube-flannel-ds", "kube-flannel-ds-amd64", "calico-node", "cilium");
    static final String FLANNEL_CONFIGMAP = "kube-flannel-cfg";
    /** Where Flannel's manifests put it: its own namespace since v0.20, kube-system before. */
    static final List<String> FLANNEL_NAMESPACES = List.of("kube-flannel", "kube-system");

    private CniCollector() {
    }

    static CniFacts collect(CheckContext context) throws ProbeException {
        try (KubeSession session = KubeSession.open(context, CniHealth.ID)) {
            List<DaemonSet> found = new ArrayList<>();
            session.call("list daemonsets in all namespaces", () -> {
                KubeSession.<DaemonSetList, DaemonSet>pages(t -> session.client().apps().daemonSets().inAnyNamespace()
                        .list(KubeSession.page(t)), DaemonSetList::getItems, l -> l.getMetadata().getContinue(), d -> {
                            if (AGENTS.contains(d.getMetadata().getName())) {
                                found.add(d);
                            }
                        });
                return null;
            });
            List<DaemonSetState> agents = new ArrayList<>();
            for (DaemonSet d : found) {
                agents.add(DaemonSetReader.read(session, d));
            }
            String cmRef = null;
            String backend = null;
            if (agents.stream().anyMatch(a -> a.name().startsWith("kube-flannel"))) {
                for (String ns : FLANNEL_NAMESPACES) {
                    ConfigMap cm = session.call("get configmap " + ns + "/" + FLANNEL_CONFIGMAP,
                            () -> session.client().configMaps().inNamespace(ns).withName(FLANNEL_CONFIGMAP).get());
                    if (cm != null) {
                        cmRef = ns + "/" + FLANNEL_CONFIGMAP;
                        backend = backendType(cm.getData() == null ? null : cm.getData().get("net-conf.json"));
                        break;
                    }
                }
            }
            List<NodeNet> nodes = new ArrayList<>();
            session.call("list nodes", () -> {
                KubeSession.<NodeList, Node>pages(t -> session.client().nodes().list(KubeSession.page(t)), NodeList::getItems,
                        l -> l.getMetadata().getContinue(), n -> nodes.add(node(n)));
                return null;
            });
            return new CniFacts(Instant.now(), agents, cmRef, backend, nodes);
        }
    }

    /** {@code Backend.Type} of net-conf.json; "" when the file names none (the default depends on the Flannel version), "?" when it is not JSON. */
    static String backendType(String netConf) {
        if (netConf == null) {
            return null;
        }
        try {
            JsonNode type = new ObjectMapper().readTree(netConf).path("Backend").path("Type");
            return type.isTextual() ? type.asText() : "";
        } catch (IOException e) {
            return "?";
        }
    }

    private static NodeNet node(Node n) {
        boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
        if (n.getStatus() != null && n.getStatus().getConditions() != null) {
            for (NodeCondition c : n.getStatus().getConditions()) {
                if ("NetworkUnavailable".equals(c.getType())) {
                    return new NodeNet(n.getMetadata().getName(), cordoned, c.getStatus(), c.getReason(), c.getMessage(),
                            time(c.getLastTransitionTime()));
                }
            }
        }
        return new NodeNet(n.getMetadata().getName(), cordoned, null, null, null, null);
    }

    private static Instant time(String rfc3339) {
        try {
            return rfc3339 == null ? null : java.time.OffsetDateTime.parse(rfc3339).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
