package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetList;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.opsdoc.checks.kubernetes.WorkloadFacts.Cond;
import io.opsdoc.checks.kubernetes.WorkloadFacts.ContainerSpec;
import io.opsdoc.checks.kubernetes.WorkloadFacts.ContainerState;
import io.opsdoc.checks.kubernetes.WorkloadFacts.PodState;
import io.opsdoc.checks.kubernetes.WorkloadFacts.Workload;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The I/O half of {@link WorkloadHealth}: GET /version, then paginated lists of Deployments, StatefulSets, DaemonSets and pods. */
final class WorkloadCollector {
    private WorkloadCollector() {
    }

    static WorkloadFacts collect(CheckContext context) throws ProbeException {
        String namespace = context.parameters().string("namespace");
        Map<String, String> critical = CriticalQos.selector(context.parameters().string("critical-selector"));
        boolean all = namespace.isEmpty();
        try (KubeSession session = KubeSession.open(context, WorkloadHealth.ID)) {
            var client = session.client();
            ServerVersion version = session.version();
            List<Workload> workloads = new ArrayList<>();
            String where = all ? "in all namespaces" : "in namespace " + namespace;
            session.call("list deployments " + where, () -> {
                MixedOperation<Deployment, DeploymentList, ?> op = client.apps().deployments();
                AnyNamespaceOperation<Deployment, DeploymentList, ?> scoped = all ? op.inAnyNamespace() : op.inNamespace(namespace);
                KubeSession.<DeploymentList, Deployment>pages(t -> scoped.list(KubeSession.page(t)), DeploymentList::getItems,
                        l -> l.getMetadata().getContinue(), d -> workloads.add(deployment(d)));
                return null;
            });
            session.call("list statefulsets " + where, () -> {
                MixedOperation<StatefulSet, StatefulSetList, ?> op = client.apps().statefulSets();
                AnyNamespaceOperation<StatefulSet, StatefulSetList, ?> scoped = all ? op.inAnyNamespace() : op.inNamespace(namespace);
                KubeSession.<StatefulSetList, StatefulSet>pages(t -> scoped.list(KubeSession.page(t)), StatefulSetList::getItems,
                        l -> l.getMetadata().getContinue(), s -> workloads.add(statefulSet(s)));
                return null;
            });
            session.call("list daemonsets " + where, () -> {
                MixedOperation<DaemonSet, DaemonSetList, ?> op = client.apps().daemonSets();
                AnyNamespaceOperation<DaemonSet, DaemonSetList, ?> scoped = all ? op.inAnyNamespace() : op.inNamespace(namespace);
                KubeSession.<DaemonSetList, DaemonSet>pages(t -> scoped.list(KubeSession.page(t)), DaemonSetList::getItems,
                        l -> l.getMetadata().getContinue(), d -> workloads.add(daemonSet(d)));
                return null;
            });
            List<PodState> pods = new ArrayList<>();
            session.call("list pods " + where, () -> {
                var op = client.pods();
                AnyNamespaceOperation<Pod, PodList, ?> scoped = all ? op.inAnyNamespace() : op.inNamespace(namespace);
                KubeSession.<PodList, Pod>pages(t -> scoped.list(KubeSession.page(t)), PodList::getItems,
                        l -> l.getMetadata().getContinue(), p -> pods.add(pod(p, critical)));
                return null;
            });
            return new WorkloadFacts(Instant.now(), version, namespace, workloads, pods);
        }
    }

    private static Workload deployment(Deployment d) {
        var s = d.getStatus();
        List<Cond> conds = new ArrayList<>();
        if (s != null && s.getConditions() != null) {
            s.getConditions().forEach(c -> conds.add(new Cond(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                    NodeCollector.time(c.getLastTransitionTime()))));
        }
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return new Workload("Deployment", d.getMetadata().getNamespace(), d.getMetadata().getName(), desired,
                s == null ? null : s.getReadyReplicas(), s == null ? null : s.getAvailableReplicas(),
                s == null ? null : s.getUpdatedReplicas(), d.getMetadata().getGeneration(),
                s == null ? null : s.getObservedGeneration(), conds, containers(d.getSpec().getTemplate().getSpec()));
    }

    private static Workload statefulSet(StatefulSet st) {
        var s = st.getStatus();
        List<Cond> conds = new ArrayList<>();
        if (s != null && s.getConditions() != null) {
            s.getConditions().forEach(c -> conds.add(new Cond(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                    NodeCollector.time(c.getLastTransitionTime()))));
        }
        int desired = st.getSpec().getReplicas() == null ? 1 : st.getSpec().getReplicas();
        // availableReplicas exists from v1.22 (minReadySeconds); before, ready is the best there is
        Integer available = s == null ? null : s.getAvailableReplicas() != null ? s.getAvailableReplicas() : s.getReadyReplicas();
        return new Workload("StatefulSet", st.getMetadata().getNamespace(), st.getMetadata().getName(), desired,
                s == null ? null : s.getReadyReplicas(), available, s == null ? null : s.getUpdatedReplicas(),
                st.getMetadata().getGeneration(), s == null ? null : s.getObservedGeneration(), conds,
                containers(st.getSpec().getTemplate().getSpec()));
    }

    private static Workload daemonSet(DaemonSet ds) {
        var s = ds.getStatus();
        List<Cond> conds = new ArrayList<>();
        if (s != null && s.getConditions() != null) {
            s.getConditions().forEach(c -> conds.add(new Cond(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                    NodeCollector.time(c.getLastTransitionTime()))));
        }
        int desired = s == null || s.getDesiredNumberScheduled() == null ? 0 : s.getDesiredNumberScheduled();
        return new Workload("DaemonSet", ds.getMetadata().getNamespace(), ds.getMetadata().getName(), desired,
                s == null ? null : s.getNumberReady(), s == null ? null : s.getNumberAvailable(),
                s == null ? null : s.getUpdatedNumberScheduled(), ds.getMetadata().getGeneration(),
                s == null ? null : s.getObservedGeneration(), conds, containers(ds.getSpec().getTemplate().getSpec()));
    }

    private static List<ContainerSpec> containers(PodSpec spec) {
        List<ContainerSpec> out = new ArrayList<>();
        if (spec == null) {
            return out;
        }
        if (spec.getInitContainers() != null) {
            spec.getInitContainers().forEach(c -> out.add(container(c, "init:")));
        }
        if (spec.getContainers() != null) {
            spec.getContainers().forEach(c -> out.add(container(c, "")));
        }
        return out;
    }

    private static ContainerSpec container(Container c, String prefix) {
        Map<String, String> requests = new LinkedHashMap<>();
        Map<String, String> limits = new LinkedHashMap<>();
        if (c.getResources() != null) {
            quantities(c.getResources().getRequests(), requests);
            quantities(c.getResources().getLimits(), limits);
        }
        List<Integer> ports = new ArrayList<>();
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) {
                if (p.getContainerPort() != null) {
                    ports.add(p.getContainerPort());
                }
            }
        }
        return new ContainerSpec(prefix + c.getName(), c.getImage(), c.getImagePullPolicy(), requests, limits,
                c.getReadinessProbe() != null, c.getLivenessProbe() != null, c.getStartupProbe() != null, ports);
    }

    private static void quantities(Map<String, Quantity> in, Map<String, String> out) {
        if (in != null) {
            in.forEach((k, v) -> out.put(k, v == null ? null : v.toString()));
        }
    }

    private static PodState pod(Pod p, Map<String, String> critical) {
        var meta = p.getMetadata();
        OwnerReference owner = meta.getOwnerReferences() == null ? null
                : meta.getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(null);
        String ownerKind = owner == null ? null : owner.getKind();
        String ownerName = owner == null ? null : owner.getName();
        String hash = meta.getLabels() == null ? null : meta.getLabels().get("pod-template-hash");
        if ("ReplicaSet".equals(ownerKind) && hash != null && ownerName.endsWith("-" + hash)) {
            // a Deployment's ReplicaSet is named <deployment>-<pod-template-hash>
            ownerKind = "Deployment";
            ownerName = ownerName.substring(0, ownerName.length() - hash.length() - 1);
        }
        var status = p.getStatus();
        List<Cond> conds = new ArrayList<>();
        List<ContainerState> states = new ArrayList<>();
        if (status != null) {
            if (status.getConditions() != null) {
                status.getConditions().forEach(c -> conds.add(new Cond(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                        NodeCollector.time(c.getLastTransitionTime()))));
            }
            if (status.getInitContainerStatuses() != null) {
                status.getInitContainerStatuses().forEach(s -> states.add(state(s, "init:")));
            }
            if (status.getContainerStatuses() != null) {
                status.getContainerStatuses().forEach(s -> states.add(state(s, "")));
            }
        }
        return new PodState(meta.getNamespace(), meta.getName(), ownerKind, ownerName,
                status == null ? null : status.getPhase(), status == null ? null : status.getQosClass(),
                p.getSpec() == null ? null : p.getSpec().getNodeName(), NodeCollector.time(meta.getCreationTimestamp()),
                meta.getDeletionTimestamp() != null, conds, containers(p.getSpec()), states,
                CriticalQos.matches(critical, meta.getLabels()));
    }

    private static ContainerState state(ContainerStatus s, String prefix) {
        var st = s.getState();
        var waiting = st == null ? null : st.getWaiting();
        var terminated = st == null ? null : st.getTerminated();
        var last = s.getLastState() == null ? null : s.getLastState().getTerminated();
        return new ContainerState(prefix + s.getName(), s.getImage(), Boolean.TRUE.equals(s.getReady()),
                s.getRestartCount() == null ? 0 : s.getRestartCount(),
                waiting == null ? null : waiting.getReason(), waiting == null ? null : waiting.getMessage(),
                terminated == null ? null : terminated.getReason(), terminated == null ? null : terminated.getExitCode(),
                last == null ? null : last.getReason(), last == null ? null : last.getExitCode(),
                last == null ? null : NodeCollector.time(last.getFinishedAt()), s.getStarted(),
                st == null || st.getRunning() == null ? null : NodeCollector.time(st.getRunning().getStartedAt()));
    }
}
