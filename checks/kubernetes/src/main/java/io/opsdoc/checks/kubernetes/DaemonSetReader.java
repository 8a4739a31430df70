package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.opsdoc.checks.kubernetes.DaemonSetState.DaemonPod;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a DaemonSet's status and its pods (by the DaemonSet's matchLabels, one namespace): shared by k8s-cni and k8s-kube-proxy. */
final class DaemonSetReader {
    private DaemonSetReader() {
    }

    static DaemonSetState read(KubeSession session, DaemonSet ds) throws ProbeException {
        String ns = ds.getMetadata().getNamespace();
        String name = ds.getMetadata().getName();
        Map<String, String> labels = ds.getSpec() != null && ds.getSpec().getSelector() != null
                ? ds.getSpec().getSelector().getMatchLabels() : null;
        List<DaemonPod> pods = new ArrayList<>();
        if (labels != null && !labels.isEmpty()) {
            session.call("list pods of daemonset " + ns + "/" + name, () -> {
                KubeSession.<PodList, Pod>pages(t -> session.client().pods().inNamespace(ns).withLabels(labels)
                        .list(KubeSession.page(t)), PodList::getItems, l -> l.getMetadata().getContinue(),
                        p -> pods.add(pod(p)));
                return null;
            });
        }
        var st = ds.getStatus();
        return new DaemonSetState(ns, name, st == null || st.getDesiredNumberScheduled() == null ? 0 : st.getDesiredNumberScheduled(),
                st == null || st.getNumberReady() == null ? 0 : st.getNumberReady(),
                st == null || st.getNumberAvailable() == null ? 0 : st.getNumberAvailable(), pods);
    }

    private static DaemonPod pod(Pod p) {
        boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        String waiting = null;
        int restarts = 0;
        if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
                restarts += cs.getRestartCount() == null ? 0 : cs.getRestartCount();
                if (waiting == null && cs.getState() != null && cs.getState().getWaiting() != null) {
                    waiting = cs.getState().getWaiting().getReason();
                }
            }
        }
        return new DaemonPod(p.getMetadata().getName(), p.getSpec() == null ? null : p.getSpec().getNodeName(), ready,
                p.getStatus() == null ? null : p.getStatus().getPhase(), waiting, restarts);
    }
}
