package io.opsdoc.checks.kubernetes;

import io.opsdoc.checks.kubernetes.WorkloadFacts.Cond;
import java.time.Instant;
import java.util.List;

/** What {@code k8s-hpa} reads: every autoscaling/v2 HorizontalPodAutoscaler's spec bounds and the status its controller wrote. */
public record HpaFacts(Instant observedAt, String namespace, List<Hpa> hpas) {

    /**
     * @param min      spec.minReplicas (1 when unset)
     * @param current  status.currentReplicas (null when never recorded)
     * @param metrics  the current metric values against their targets, as {@code cpu 180% (target 70%)}
     */
    public record Hpa(String namespace, String name, String targetKind, String targetName, int min, int max,
            Integer current, Integer desired, Instant lastScaleTime, List<Cond> conditions, List<String> metrics) {

        public Cond condition(String type) {
            return conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
        }

        public String key() {
            return namespace + "/" + name;
        }
    }
}
