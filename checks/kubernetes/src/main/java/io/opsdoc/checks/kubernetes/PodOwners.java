package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;

/** The workload that controls a pod: a Deployment resolved from its ReplicaSet's pod-template-hash, or the controller named. */
final class PodOwners {
    private PodOwners() {
    }

    /** {Kind, name}, or {null, null} for a pod no controller owns. */
    static String[] of(Pod p) {
        var meta = p.getMetadata();
        OwnerReference owner = meta.getOwnerReferences() == null ? null
                : meta.getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(null);
        if (owner == null) {
            return new String[] {null, null};
        }
        String kind = owner.getKind();
        String name = owner.getName();
        String hash = meta.getLabels() == null ? null : meta.getLabels().get("pod-template-hash");
        if ("ReplicaSet".equals(kind) && hash != null && name.endsWith("-" + hash)) {
            return new String[] {"Deployment", name.substring(0, name.length() - hash.length() - 1)};
        }
        return new String[] {kind, name};
    }

    static boolean ready(Pod p) {
        var st = p.getStatus();
        return st != null && st.getConditions() != null && st.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
