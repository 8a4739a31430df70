package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus;
import io.opsdoc.checks.kubernetes.HpaFacts.Hpa;
import io.opsdoc.checks.kubernetes.WorkloadFacts.Cond;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The I/O half of {@link HpaStatus}: a paginated list of autoscaling/v2 HorizontalPodAutoscalers. */
final class HpaCollector {
    private HpaCollector() {
    }

    static HpaFacts collect(CheckContext context) throws ProbeException {
        String namespace = context.parameters().string("namespace");
        try (KubeSession session = KubeSession.open(context, HpaStatus.ID)) {
            List<Hpa> hpas = new ArrayList<>();
            KubeLists.each(session, "horizontalpodautoscalers", session.client().autoscaling().v2().horizontalPodAutoscalers(),
                    namespace, h -> hpas.add(hpa(h)));
            return new HpaFacts(Instant.now(), namespace, hpas);
        }
    }

    private static Hpa hpa(HorizontalPodAutoscaler h) {
        var spec = h.getSpec();
        var st = h.getStatus();
        List<Cond> conds = new ArrayList<>();
        if (st != null && st.getConditions() != null) {
            st.getConditions().forEach(c -> conds.add(new Cond(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                    NodeCollector.time(c.getLastTransitionTime()))));
        }
        List<String> metrics = new ArrayList<>();
        if (spec.getMetrics() != null) {
            for (MetricSpec m : spec.getMetrics()) {
                String name = name(m.getType(), m.getResource() == null ? null : m.getResource().getName(),
                        m.getPods() == null ? null : m.getPods().getMetric().getName(),
                        m.getObject() == null ? null : m.getObject().getMetric().getName(),
                        m.getExternal() == null ? null : m.getExternal().getMetric().getName(),
                        m.getContainerResource() == null ? null : m.getContainerResource().getName());
                MetricTarget t = m.getResource() != null ? m.getResource().getTarget() : m.getPods() != null ? m.getPods().getTarget()
                        : m.getObject() != null ? m.getObject().getTarget() : m.getExternal() != null ? m.getExternal().getTarget()
                        : m.getContainerResource() != null ? m.getContainerResource().getTarget() : null;
                MetricValueStatus current = current(st == null ? null : st.getCurrentMetrics(), name);
                metrics.add(name + " " + (current == null ? "<unknown>" : value(current.getAverageUtilization(),
                        current.getAverageValue(), current.getValue())) + " (target " + (t == null ? "?"
                                : value(t.getAverageUtilization(), t.getAverageValue(), t.getValue())) + ")");
            }
        }
        return new Hpa(h.getMetadata().getNamespace(), h.getMetadata().getName(), spec.getScaleTargetRef().getKind(),
                spec.getScaleTargetRef().getName(), spec.getMinReplicas() == null ? 1 : spec.getMinReplicas(),
                spec.getMaxReplicas() == null ? 0 : spec.getMaxReplicas(), st == null ? null : st.getCurrentReplicas(),
                st == null ? null : st.getDesiredReplicas(), st == null ? null : NodeCollector.time(st.getLastScaleTime()),
                conds, metrics);
    }

    private static String name(String type, String resource, String pods, String object, String external, String container) {
        String n = resource != null ? resource : pods != null ? pods : object != null ? object : external != null ? external : container;
        return n == null ? String.valueOf(type) : n;
    }

    private static MetricValueStatus current(List<MetricStatus> statuses, String name) {
        if (statuses == null) {
            return null;
        }
        for (MetricStatus s : statuses) {
            if (s.getResource() != null && name.equals(s.getResource().getName())) {
                return s.getResource().getCurrent();
            }
            if (s.getContainerResource() != null && name.equals(s.getContainerResource().getName())) {
                return s.getContainerResource().getCurrent();
            }
            if (s.getPods() != null && name.equals(s.getPods().getMetric().getName())) {
                return s.getPods().getCurrent();
            }
            if (s.getObject() != null && name.equals(s.getObject().getMetric().getName())) {
                return s.getObject().getCurrent();
            }
            if (s.getExternal() != null && name.equals(s.getExternal().getMetric().getName())) {
                return s.getExternal().getCurrent();
            }
        }
        return null;
    }

    private static String value(Integer utilization, Object average, Object value) {
        if (utilization != null) {
            return utilization + "%";
        }
        if (average != null) {
            return average.toString();
        }
        return value == null ? "<unknown>" : value.toString();
    }
}
