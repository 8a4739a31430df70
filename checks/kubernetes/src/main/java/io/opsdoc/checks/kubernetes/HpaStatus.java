package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.HpaCode.*;

import io.opsdoc.checks.kubernetes.HpaFacts.Hpa;
import io.opsdoc.checks.kubernetes.WorkloadFacts.Cond;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Can every HorizontalPodAutoscaler still do its job? One at its maximum for longer than {@code maxed-for} (the load
 * needs more than it may give: raise maxReplicas or add capacity), one that cannot read or update its target's scale
 * (AbleToScale=False), one that cannot compute a replica count because its metrics are missing (ScalingActive=False,
 * FailedGet*Metric: metrics-server or an adapter is down, or the pods have no requests), and one whose minimum equals
 * its maximum. It judges from the conditions the HPA controller writes, so it needs no metrics API of its own.
 */
public final class HpaStatus extends DescribedCheck<HpaFacts> {
    public static final String ID = "k8s-hpa";
    static final String NOTE = "kubernetes/autoscaling";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("namespace", ParameterType.STRING, "", "look at this namespace only; empty = all namespaces"),
            new ParameterSpec("maxed-for", ParameterType.DURATION, "15m",
                    "an HPA at maxReplicas (ScalingLimited=True, TooManyReplicas) for longer than this is HPA_MAXED_OUT "
                            + "(kubernetes-mixin KubeHpaMaxedOut: 15 minutes)"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.clusterRole(ID,
            "Lists HorizontalPodAutoscalers (autoscaling/v2).",
            new KubeGrants.Rule("autoscaling", List.of("horizontalpodautoscalers"))));

    public HpaStatus() {
        super(ID, KubeTarget.SCHEME, "Can every Kubernetes HPA still scale: not stuck at its maximum, metrics readable, target found?",
                HpaFacts.class, PARAMETERS, HpaCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public HpaFacts collect(CheckContext context) throws Exception {
        return HpaCollector.collect(context);
    }

    @Override
    public void evaluate(HpaFacts facts, Parameters p, Evaluation.Builder out) {
        Instant now = facts.observedAt();
        Duration maxedFor = p.duration("maxed-for");
        int maxed = 0;
        int blind = 0;
        for (Hpa h : facts.hpas()) {
            String label = "HPA " + h.key() + " (" + h.targetKind() + " " + h.targetName() + ", " + h.min() + "-" + h.max()
                    + " replicas)";
            Evidence base = Evidence.of("minReplicas", h.min(), "maxReplicas", h.max())
                    .putIfPresent("currentReplicas", h.current()).putIfPresent("desiredReplicas", h.desired());
            if (!h.metrics().isEmpty()) {
                base.put("metrics", String.join(", ", h.metrics()));
            }
            Cond able = h.condition("AbleToScale");
            Cond active = h.condition("ScalingActive");
            Cond limited = h.condition("ScalingLimited");
            if (able != null && "False".equals(able.status())) {
                blind++;
                out.finding(HPA_CANNOT_SCALE, Severity.WARNING, label + " cannot scale: AbleToScale=False (" + able.reason()
                        + since(able, now) + "): " + able.message() + ". " + cannotScaleHint(able.reason()),
                        copy(base).put("AbleToScale", "False").put("reason", able.reason()).putIfPresent("message", able.message())
                                .putIfPresent("since", able.lastTransitionTime()), h.key());
            } else if (active != null && "False".equals(active.status()) && !"ScalingDisabled".equals(active.reason())) {
                blind++;
                out.finding(HPA_METRICS_UNAVAILABLE, Severity.WARNING, label + " cannot compute a replica count, so it "
                        + "will not scale up under load: ScalingActive=False (" + active.reason() + since(active, now) + "): "
                        + active.message() + ". " + metricsHint(active.message()),
                        copy(base).put("ScalingActive", "False").put("reason", active.reason())
                                .putIfPresent("message", active.message()).putIfPresent("since", active.lastTransitionTime()),
                        h.key());
            }
            boolean atMax = h.current() != null && h.current() >= h.max() && h.max() > 0;
            if (atMax && limited != null && "True".equals(limited.status()) && "TooManyReplicas".equals(limited.reason())
                    && h.min() < h.max()) {
                Duration at = limited.lastTransitionTime() == null ? Duration.ZERO : Duration.between(limited.lastTransitionTime(), now);
                if (at.compareTo(maxedFor) >= 0) {
                    maxed++;
                    out.finding(HPA_MAXED_OUT, Severity.WARNING, label + " has run at its maximum of " + h.max()
                            + " replicas for " + Durations.human(at) + " and wants more (ScalingLimited=True, TooManyReplicas)"
                            + (h.metrics().isEmpty() ? "" : ": " + String.join(", ", h.metrics()))
                            + ". The load is above what it may give: the pods run hot and latency grows. Raise maxReplicas "
                            + "if the cluster has room (kubectl describe hpa -n " + h.namespace() + " " + h.name()
                            + "), or find what drives the load",
                            copy(base).put("ScalingLimited", "TooManyReplicas").put("at_max_since", limited.lastTransitionTime())
                                    .put("maxed-for", p.raw().get("maxed-for")), h.key());
                }
            }
            if (h.min() == h.max()) {
                out.finding(HPA_MIN_EQUALS_MAX, Severity.INFO, label + " has minReplicas = maxReplicas = " + h.max()
                        + ": it can never change the replica count, so it only adds a moving part; widen the range or "
                        + "delete the HPA and set the Deployment's replicas", copy(base), h.key());
            }
        }
        out.metric(Metric.of("hpas", facts.hpas().size(), ""));
        out.metric(Metric.of("hpas_maxed_out", maxed, ""));
        out.metric(Metric.of("hpas_unable_to_scale", blind, ""));
    }

    private static Evidence copy(Evidence e) {
        Evidence c = Evidence.of();
        e.asMap().forEach(c::put);
        return c;
    }

    private static String since(Cond c, Instant now) {
        return c.lastTransitionTime() == null ? "" : ", for " + Durations.since(c.lastTransitionTime(), now);
    }

    private static String cannotScaleHint(String reason) {
        if ("FailedGetScale".equals(reason)) {
            return "The target is missing or renamed (or the controller lacks RBAC on its scale subresource): check "
                    + "scaleTargetRef against kubectl get deploy,sts";
        }
        if ("FailedUpdateScale".equals(reason)) {
            return "Writing the new replica count failed: an admission webhook, a quota, or a conflicting controller";
        }
        return "kubectl describe hpa shows the controller's events";
    }

    private static String metricsHint(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("missing request for")) {
            return "Utilization targets need a request for that resource in every container: add the requests";
        }
        if (m.contains("metrics.k8s.io") || m.contains("resource metrics api")) {
            return "The resource metrics API does not answer: is metrics-server running? kubectl get apiservice "
                    + "v1beta1.metrics.k8s.io; kubectl top pods";
        }
        if (m.contains("custom.metrics.k8s.io") || m.contains("external.metrics.k8s.io")) {
            return "The custom or external metrics adapter does not answer (prometheus-adapter, KEDA): kubectl get apiservice";
        }
        return "kubectl describe hpa shows the controller's events";
    }
}
