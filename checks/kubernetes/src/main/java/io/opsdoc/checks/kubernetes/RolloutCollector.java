package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.opsdoc.checks.kubernetes.RolloutFacts.DeploymentRollout;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.List;

/** The I/O half of {@link RolloutSafety}: a paginated list of Deployments, nothing else. */
final class RolloutCollector {
    /** The API server's defaults for apps/v1 Deployments. */
    static final String DEFAULT_MAX = "25%";
    static final int DEFAULT_PROGRESS_DEADLINE = 600;

    private RolloutCollector() {
    }

    static RolloutFacts collect(CheckContext context) throws ProbeException {
        String namespace = context.parameters().string("namespace");
        try (KubeSession session = KubeSession.open(context, RolloutSafety.ID)) {
            List<DeploymentRollout> out = new ArrayList<>();
            KubeLists.each(session, "deployments", session.client().apps().deployments(), namespace, d -> out.add(of(d)));
            return new RolloutFacts(namespace, out);
        }
    }

    static DeploymentRollout of(Deployment d) {
        DeploymentSpec spec = d.getSpec();
        String strategy = spec.getStrategy() == null || spec.getStrategy().getType() == null ? "RollingUpdate"
                : spec.getStrategy().getType();
        String maxUnavailable = null;
        String maxSurge = null;
        if ("RollingUpdate".equals(strategy)) {
            var ru = spec.getStrategy() == null ? null : spec.getStrategy().getRollingUpdate();
            maxUnavailable = ru == null ? DEFAULT_MAX : text(ru.getMaxUnavailable());
            maxSurge = ru == null ? DEFAULT_MAX : text(ru.getMaxSurge());
        }
        List<String> without = new ArrayList<>();
        List<String> names = new ArrayList<>();
        var pod = spec.getTemplate() == null ? null : spec.getTemplate().getSpec();
        if (pod != null && pod.getContainers() != null) {
            for (Container c : pod.getContainers()) {
                names.add(c.getName());
                if (c.getReadinessProbe() == null) {
                    without.add(c.getName());
                }
            }
        }
        return new DeploymentRollout(d.getMetadata().getNamespace(), d.getMetadata().getName(),
                spec.getReplicas() == null ? 1 : spec.getReplicas(), strategy, maxUnavailable, maxSurge,
                spec.getMinReadySeconds() == null ? 0 : spec.getMinReadySeconds(),
                spec.getProgressDeadlineSeconds() == null ? DEFAULT_PROGRESS_DEADLINE : spec.getProgressDeadlineSeconds(),
                Boolean.TRUE.equals(spec.getPaused()), without, names);
    }

    private static String text(IntOrString v) {
        if (v == null) {
            return DEFAULT_MAX;
        }
        return v.getIntVal() != null ? String.valueOf(v.getIntVal()) : v.getStrVal();
    }
}
