package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetList;
import io.opsdoc.checks.kubernetes.CapacityFacts.ContainerRequests;
import io.opsdoc.checks.kubernetes.CapacityFacts.NodeCapacity;
import io.opsdoc.checks.kubernetes.CapacityFacts.PodRequests;
import io.opsdoc.checks.kubernetes.CapacityFacts.QuotaUsage;
import io.opsdoc.checks.kubernetes.CapacityFacts.WorkloadRequests;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The I/O half of {@link ClusterCapacity}: GET /version, list Nodes, pods, Deployments, StatefulSets and ResourceQuotas. */
final class CapacityCollector {
    private CapacityCollector() {
    }

    static CapacityFacts collect(CheckContext context) throws ProbeException {
        try (KubeSession session = KubeSession.open(context, ClusterCapacity.ID)) {
            var client = session.client();
            ServerVersion version = session.version();
            List<NodeCapacity> nodes = new ArrayList<>();
            session.call("list nodes", () -> {
                KubeSession.<NodeList, Node>pages(t -> client.nodes().list(KubeSession.page(t)), NodeList::getItems,
                        l -> l.getMetadata().getContinue(), n -> nodes.add(node(n)));
                return null;
            });
            List<PodRequests> pods = new ArrayList<>();
            session.call("list pods in all namespaces", () -> {
                KubeSession.<PodList, Pod>pages(t -> client.pods().inAnyNamespace().list(KubeSession.page(t)),
                        PodList::getItems, l -> l.getMetadata().getContinue(), p -> pods.add(pod(p)));
                return null;
            });
            List<WorkloadRequests> workloads = new ArrayList<>();
            session.call("list deployments in all namespaces", () -> {
                KubeSession.<DeploymentList, Deployment>pages(t -> client.apps().deployments().inAnyNamespace().list(KubeSession.page(t)),
                        DeploymentList::getItems, l -> l.getMetadata().getContinue(), d -> workloads.add(new WorkloadRequests(
                                "Deployment", d.getMetadata().getNamespace(), d.getMetadata().getName(),
                                d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(),
                                containers(d.getSpec().getTemplate().getSpec(), false),
                                containers(d.getSpec().getTemplate().getSpec(), true))));
                return null;
            });
            session.call("list statefulsets in all namespaces", () -> {
                KubeSession.<StatefulSetList, StatefulSet>pages(t -> client.apps().statefulSets().inAnyNamespace().list(KubeSession.page(t)),
                        StatefulSetList::getItems, l -> l.getMetadata().getContinue(), s -> workloads.add(new WorkloadRequests(
                                "StatefulSet", s.getMetadata().getNamespace(), s.getMetadata().getName(),
                                s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas(),
                                containers(s.getSpec().getTemplate().getSpec(), false),
                                containers(s.getSpec().getTemplate().getSpec(), true))));
                return null;
            });
            List<QuotaUsage> quotas = new ArrayList<>();
            KubeLists.each(session, "resourcequotas", client.resourceQuotas(), "", q -> quotas.addAll(quota(q)));
            return new CapacityFacts(Instant.now(), version, nodes, pods, workloads, quotas);
        }
    }

    /** Every resource the quota limits, with what the quota controller last counted as used (absent = 0). */
    private static List<QuotaUsage> quota(ResourceQuota q) {
        List<QuotaUsage> out = new ArrayList<>();
        var st = q.getStatus();
        if (st == null || st.getHard() == null) {
            return out; // not yet processed by the quota controller
        }
        st.getHard().forEach((resource, hard) -> out.add(new QuotaUsage(q.getMetadata().getNamespace(),
                q.getMetadata().getName(), resource, hard.toString(), quantity(st.getUsed(), resource))));
        return out;
    }

    private static NodeCapacity node(Node n) {
        boolean ready = n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        List<String> taints = new ArrayList<>();
        if (n.getSpec() != null && n.getSpec().getTaints() != null) {
            n.getSpec().getTaints().stream().filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                    .map(t -> t.getKey() + ":" + t.getEffect()).distinct().forEach(taints::add);
        }
        Map<String, Quantity> alloc = n.getStatus() == null ? null : n.getStatus().getAllocatable();
        return new NodeCapacity(n.getMetadata().getName(), ready,
                n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable()), taints,
                quantity(alloc, "cpu"), quantity(alloc, "memory"), quantity(alloc, "pods"));
    }

    private static PodRequests pod(Pod p) {
        Map<String, Quantity> overhead = p.getSpec() == null ? null : p.getSpec().getOverhead();
        return new PodRequests(p.getMetadata().getNamespace(), p.getMetadata().getName(),
                p.getSpec() == null ? null : p.getSpec().getNodeName(), p.getStatus() == null ? null : p.getStatus().getPhase(),
                containers(p.getSpec(), false), containers(p.getSpec(), true), quantity(overhead, "cpu"), quantity(overhead, "memory"));
    }

    private static List<ContainerRequests> containers(PodSpec spec, boolean init) {
        List<ContainerRequests> out = new ArrayList<>();
        List<Container> list = spec == null ? null : init ? spec.getInitContainers() : spec.getContainers();
        if (list != null) {
            for (Container c : list) {
                Map<String, Quantity> req = c.getResources() == null ? null : c.getResources().getRequests();
                Map<String, Quantity> lim = c.getResources() == null ? null : c.getResources().getLimits();
                // a limit without a request defaults the request to the limit
                String cpu = quantity(req, "cpu") != null ? quantity(req, "cpu") : quantity(lim, "cpu");
                String memory = quantity(req, "memory") != null ? quantity(req, "memory") : quantity(lim, "memory");
                out.add(new ContainerRequests(c.getName(), cpu, memory));
            }
        }
        return out;
    }

    private static String quantity(Map<String, Quantity> map, String key) {
        Quantity q = map == null ? null : map.get(key);
        return q == null ? null : q.toString();
    }
}
