package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.ProbeCode.*;

import io.opsdoc.checks.kubernetes.ProbeFacts.ProbeSpec;
import io.opsdoc.checks.kubernetes.ProbeFacts.Probed;
import io.opsdoc.checks.kubernetes.ProbeFacts.Template;
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
import java.util.List;
import java.util.stream.Collectors;

/**
 * Are the workloads' health probes set up so they help rather than hurt? Serving containers without a readiness probe
 * (traffic before they can answer, and during a rollout the old pods go before the new ones can serve) or without a
 * liveness probe (a hung process is never restarted), a liveness probe that is the readiness probe (overload or a
 * slow dependency turns into restarts of every replica at once), and a liveness probe that restarts after only a few
 * seconds of failure. It reads the pod templates, so it judges what every future pod will get.
 */
public final class PodProbes extends DescribedCheck<ProbeFacts> {
    public static final String ID = "k8s-pod-probes";
    static final String NOTE = "kubernetes/pod-lifecycle";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("namespace", ParameterType.STRING, "", "look at this namespace only; empty = all namespaces"),
            new ParameterSpec("liveness-min-window", ParameterType.DURATION, "10s",
                    "a liveness probe that restarts after less than this much failing (failureThreshold x periodSeconds) "
                            + "is LIVENESS_TOO_AGGRESSIVE; the API defaults give 30s"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.clusterRole(ID,
            "Lists Deployments, StatefulSets and DaemonSets (their pod templates).",
            new KubeGrants.Rule("apps", List.of("deployments", "statefulsets", "daemonsets"))));

    public PodProbes() {
        super(ID, KubeTarget.SCHEME, "Do Kubernetes workloads have readiness and liveness probes that help rather than hurt?",
                ProbeFacts.class, PARAMETERS, ProbeCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public ProbeFacts collect(CheckContext context) throws Exception {
        return ProbeCollector.collect(context);
    }

    @Override
    public void evaluate(ProbeFacts facts, Parameters p, Evaluation.Builder out) {
        Duration minWindow = p.duration("liveness-min-window");
        int containers = 0;
        int without = 0;
        for (Template t : facts.templates()) {
            String label = t.kind() + " " + t.namespace() + "/" + t.name();
            List<Probed> serving = t.containers().stream().filter(c -> !c.ports().isEmpty()).toList();
            containers += t.containers().size();
            List<Probed> noReadiness = serving.stream().filter(c -> c.readiness() == null).toList();
            without += noReadiness.size();
            if (!noReadiness.isEmpty()) {
                Probed c = noReadiness.get(0);
                out.finding(NO_READINESS_PROBE, Severity.WARNING, "container " + c.name() + " of " + label + " serves on port "
                        + ports(c) + " without a readiness probe: it joins the Service's endpoints as soon as it starts, "
                        + "before it can answer, stays there when it stops answering, and a rolling update counts it "
                        + "available at once; add a readinessProbe on a cheap endpoint of the application",
                        Evidence.of("containers", names(noReadiness), "ports", ports(c), "livenessProbe", c.liveness() != null),
                        t.key());
            }
            List<Probed> noLiveness = serving.stream().filter(c -> c.liveness() == null).toList();
            if (!noLiveness.isEmpty()) {
                Probed c = noLiveness.get(0);
                out.finding(NO_LIVENESS_PROBE, Severity.INFO, "container " + c.name() + " of " + label + " serves on port "
                        + ports(c) + " without a liveness probe: if the process hangs without exiting, nothing restarts it",
                        Evidence.of("containers", names(noLiveness), "ports", ports(c), "readinessProbe", c.readiness() != null),
                        t.key());
            }
            List<Probed> same = t.containers().stream().filter(c -> c.readiness() != null && c.liveness() != null
                    && sameCheck(c.readiness(), c.liveness())).toList();
            if (!same.isEmpty()) {
                Probed c = same.get(0);
                out.finding(LIVENESS_SAME_AS_READINESS, Severity.WARNING, "container " + c.name() + " of " + label
                        + " uses the same probe for liveness and readiness (" + c.liveness().describe() + "): when the "
                        + "application is slow or a dependency fails, every replica is taken out of the Service and "
                        + "restarted at the same moment, which turns an overload into an outage. Let liveness check only "
                        + "that the process is not stuck, with a longer window",
                        Evidence.of("containers", names(same), "probe", c.liveness().describe()), t.key());
            }
            List<Probed> tight = t.containers().stream().filter(c -> c.liveness() != null
                    && c.liveness().windowSeconds() < minWindow.getSeconds()).toList();
            if (!tight.isEmpty()) {
                Probed c = tight.get(0);
                ProbeSpec l = c.liveness();
                out.finding(LIVENESS_TOO_AGGRESSIVE, Severity.WARNING, "the liveness probe of container " + c.name() + " of "
                        + label + " restarts it after " + l.windowSeconds() + "s of failure (failureThreshold "
                        + l.failureThreshold() + " x periodSeconds " + l.periodSeconds() + ", each answer allowed "
                        + l.timeoutSeconds() + "s): a GC pause or a burst of load is enough to kill it. Allow at least "
                        + p.raw().get("liveness-min-window") + " (the defaults give 30s), and a startupProbe for slow starts",
                        Evidence.of("containers", names(tight), "probe", l.describe(), "window_seconds", l.windowSeconds(),
                                "timeoutSeconds", l.timeoutSeconds(), "liveness-min-window", p.raw().get("liveness-min-window")),
                        t.key());
            }
        }
        out.metric(Metric.of("containers", containers, ""));
        out.metric(Metric.of("serving_containers_without_readiness", without, ""));
    }

    private static boolean sameCheck(ProbeSpec a, ProbeSpec b) {
        return a.handler().equals(b.handler()) && a.periodSeconds() == b.periodSeconds()
                && a.timeoutSeconds() == b.timeoutSeconds() && a.failureThreshold() == b.failureThreshold();
    }

    private static String ports(Probed c) {
        return c.ports().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String names(List<Probed> cs) {
        return cs.stream().map(Probed::name).collect(Collectors.joining(", "));
    }
}
