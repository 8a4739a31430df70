package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.opsdoc.checks.kubernetes.NodeFacts.Condition;
import io.opsdoc.checks.kubernetes.NodeFacts.NodeLease;
import io.opsdoc.checks.kubernetes.NodeFacts.NodeState;
import io.opsdoc.checks.kubernetes.NodeFacts.NodeTaint;
import io.opsdoc.checks.kubernetes.NodeFacts.PodOnNode;
import io.opsdoc.checks.kubernetes.NodeFacts.PodToleration;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The I/O half of {@link NodeReadiness}: GET /version, list Nodes, list Leases in kube-node-lease, pods on affected
 * nodes, Events on Nodes; with kubelet-host, that host's kubelet ({@link KubeletOnHost}).
 */
final class NodeCollector {
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    /** Pods are looked up node by node (a field selector each) for at most this many not-Ready or tainted nodes. */
    static final int POD_LOOKUP_LIMIT = 50;

    private NodeCollector() {
    }

    static NodeFacts collect(CheckContext context) throws Exception {
        NodeFacts facts = api(context);
        String host = context.parameters().string("kubelet-host").strip();
        return host.isEmpty() ? facts : new NodeFacts(facts.observedAt(), facts.server(), facts.nodes(),
                facts.podLookupLimit(), facts.readyEvents(), KubeletOnHost.read(context, host));
    }

    private static NodeFacts api(CheckContext context) throws ProbeException {
        try (KubeSession session = KubeSession.open(context, NodeReadiness.ID)) {
            var client = session.client();
            ServerVersion version = session.version();
            Map<String, NodeLease> leases = new HashMap<>();
            session.call("list leases in " + NODE_LEASE_NAMESPACE, () -> {
                KubeSession.<LeaseList, Lease>pages(
                        token -> client.resources(Lease.class, LeaseList.class).inNamespace(NODE_LEASE_NAMESPACE).list(KubeSession.page(token)),
                        LeaseList::getItems, l -> l.getMetadata().getContinue(),
                        l -> leases.put(l.getMetadata().getName(), lease(l)));
                return null;
            });
            List<NodeState> nodes = new ArrayList<>();
            session.call("list nodes", () -> {
                KubeSession.<NodeList, Node>pages(token -> client.nodes().list(KubeSession.page(token)),
                        NodeList::getItems, l -> l.getMetadata().getContinue(),
                        n -> nodes.add(node(n, leases.get(n.getMetadata().getName()))));
                return null;
            });
            Instant observedAt = Instant.now();
            int looked = 0;
            for (int i = 0; i < nodes.size(); i++) {
                NodeState n = nodes.get(i);
                if (!affected(n) || looked >= POD_LOOKUP_LIMIT) {
                    continue;
                }
                looked++;
                List<PodOnNode> pods = new ArrayList<>();
                session.call("list pods on node " + n.name(), () -> {
                    KubeSession.<PodList, Pod>pages(token -> client.pods().inAnyNamespace()
                                    .withField("spec.nodeName", n.name()).list(KubeSession.page(token)),
                            PodList::getItems, l -> l.getMetadata().getContinue(), p -> {
                                if (n.name().equals(p.getSpec().getNodeName()) && !terminal(p)) {
                                    pods.add(pod(p));
                                }
                            });
                    return null;
                });
                nodes.set(i, new NodeState(n.name(), n.created(), n.unschedulable(), n.kubeletVersion(), n.conditions(),
                        n.taints(), n.lease(), pods));
            }
            return new NodeFacts(observedAt, version, nodes, POD_LOOKUP_LIMIT, readyEvents(session), null);
        }
    }

    /**
     * The Ready transitions recorded as Events on Nodes (in namespace default, where the kubelet and the node-lifecycle
     * controller write them); null when this user may not list Events (a grant from before READY_FLAPPING).
     */
    private static List<NodeFacts.ReadyEvent> readyEvents(KubeSession session) throws ProbeException {
        List<NodeFacts.ReadyEvent> found = new ArrayList<>();
        try {
            session.call("list node events", () -> {
                KubeSession.<EventList, Event>pages(token -> session.client().v1().events().inAnyNamespace()
                                .withField("involvedObject.kind", "Node").list(KubeSession.page(token)),
                        EventList::getItems, l -> l.getMetadata().getContinue(), e -> {
                            NodeFacts.ReadyEvent r = readyEvent(e);
                            if (r != null) {
                                found.add(r);
                            }
                        });
                return null;
            });
        } catch (ProbeException e) {
            if (e.code() == io.opsdoc.core.ProbeErrors.PERMISSION_DENIED) {
                return null;
            }
            throw e;
        }
        return found;
    }

    /** A NodeReady/NodeNotReady Event on a Node, with events.k8s.io/v1's series mapped onto count and timestamps. */
    static NodeFacts.ReadyEvent readyEvent(Event e) {
        var about = e.getInvolvedObject();
        if (about == null || !"Node".equals(about.getKind()) || about.getName() == null
                || !READY_REASONS.contains(e.getReason())) {
            return null;
        }
        Instant eventTime = e.getEventTime() == null ? null : time(e.getEventTime().getTime());
        Instant first = time(e.getFirstTimestamp());
        Instant last = time(e.getLastTimestamp());
        int count = e.getCount() == null ? 0 : e.getCount();
        if (e.getSeries() != null) {
            count = Math.max(count, e.getSeries().getCount() == null ? 0 : e.getSeries().getCount());
            Instant observed = e.getSeries().getLastObservedTime() == null ? null
                    : time(e.getSeries().getLastObservedTime().getTime());
            last = last == null ? observed : last;
        }
        first = first == null ? eventTime : first;
        last = last == null ? (eventTime == null ? first : eventTime) : last;
        String component = e.getReportingComponent() != null && !e.getReportingComponent().isEmpty()
                ? e.getReportingComponent() : e.getSource() == null ? null : e.getSource().getComponent();
        return new NodeFacts.ReadyEvent(about.getName(), e.getReason(), component, Math.max(1, count), first, last,
                e.getMessage());
    }

    static final java.util.Set<String> READY_REASONS = java.util.Set.of("NodeReady", "NodeNotReady");

    /** Not Ready, or tainted so that pods may be evicted: the nodes whose pods matter. */
    static boolean affected(NodeState n) {
        Condition ready = n.condition("Ready");
        boolean noExecute = n.taints() != null && n.taints().stream().anyMatch(t -> "NoExecute".equals(t.effect()));
        return ready == null || !"True".equals(ready.status()) || noExecute;
    }

    private static boolean terminal(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static NodeState node(Node n, NodeLease lease) {
        List<Condition> conditions = new ArrayList<>();
        if (n.getStatus() != null && n.getStatus().getConditions() != null) {
            n.getStatus().getConditions().forEach(c -> conditions.add(new Condition(c.getType(), c.getStatus(), c.getReason(),
                    c.getMessage(), time(c.getLastHeartbeatTime()), time(c.getLastTransitionTime()))));
        }
        List<NodeTaint> taints = new ArrayList<>();
        if (n.getSpec() != null && n.getSpec().getTaints() != null) {
            n.getSpec().getTaints().forEach(t -> taints.add(new NodeTaint(t.getKey(), t.getValue(), t.getEffect(),
                    time(t.getTimeAdded()))));
        }
        String kubelet = n.getStatus() != null && n.getStatus().getNodeInfo() != null
                ? n.getStatus().getNodeInfo().getKubeletVersion() : null;
        boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
        return new NodeState(n.getMetadata().getName(), time(n.getMetadata().getCreationTimestamp()), cordoned, kubelet,
                conditions, taints, lease, null);
    }

    private static NodeLease lease(Lease l) {
        var spec = l.getSpec();
        if (spec == null) {
            return new NodeLease(null, null, null);
        }
        return new NodeLease(spec.getHolderIdentity(), spec.getRenewTime() == null ? null : spec.getRenewTime().toInstant(),
                spec.getLeaseDurationSeconds());
    }

    private static PodOnNode pod(Pod p) {
        List<PodToleration> tolerations = new ArrayList<>();
        if (p.getSpec().getTolerations() != null) {
            for (Toleration t : p.getSpec().getTolerations()) {
                tolerations.add(new PodToleration(t.getKey(), t.getOperator() == null ? "Equal" : t.getOperator(), t.getValue(),
                        t.getEffect(), t.getTolerationSeconds()));
            }
        }
        OwnerReference owner = p.getMetadata().getOwnerReferences() == null ? null
                : p.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController()))
                        .findFirst().orElse(null);
        return new PodOnNode(p.getMetadata().getNamespace(), p.getMetadata().getName(),
                owner == null ? null : owner.getKind(), owner == null ? null : owner.getName(),
                p.getMetadata().getDeletionTimestamp() != null, tolerations);
    }

    /** Kubernetes timestamps are RFC 3339 (normally UTC with 'Z'); null or unparsable stays null. */
    static Instant time(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
