package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.RolloutCode.*;

import io.opsdoc.checks.kubernetes.RolloutFacts.DeploymentRollout;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.InputFiles;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.nio.file.Path;
import java.util.List;

/**
 * Will the next rollout of each Deployment keep the application up? Reads the rollout settings only (strategy,
 * maxUnavailable / maxSurge resolved against the replicas the way the Deployment controller resolves them,
 * readiness probes, minReadySeconds, progressDeadlineSeconds); nothing about the rollout in progress, which is
 * k8s-workloads' business.
 */
public final class RolloutSafety extends DescribedCheck<RolloutFacts> {
    public static final String ID = "k8s-rollout-safety";
    static final String NOTE = "kubernetes/rollouts";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("namespace", ParameterType.STRING, "", "look at this namespace only; empty = all namespaces"),
            new ParameterSpec("max-progress-deadline", ParameterType.DURATION, "1h",
                    "a progressDeadlineSeconds longer than this hides a stuck rollout (the API default is 600s)"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.clusterRole(ID,
            "Lists Deployments (their spec: strategy, replicas, pod template probes); a file: target needs only read access to the file.",
            new KubeGrants.Rule("apps", List.of("deployments"))));

    public RolloutSafety() {
        super(ID, KubeTarget.SCHEME, "Will the next rollout of each Kubernetes Deployment keep it available?",
                RolloutFacts.class, PARAMETERS, RolloutCode.class, GRANTS);
    }

    /** Live on the API server ({@code k8s://}), or static on a manifest before it is applied ({@code file:///...yaml}). */
    @Override
    public List<String> targetSchemes() {
        return List.of(KubeTarget.SCHEME, "file");
    }

    @Override
    public void validate(Target target) {
        if ("file".equals(target.scheme())) {
            InputFiles.requireReadable("manifest", target.path());
        } else {
            KubeTarget.of(target);
        }
    }

    @Override
    public RolloutFacts collect(CheckContext context) throws Exception {
        if ("file".equals(context.target().scheme())) {
            return RolloutManifests.read(Path.of(context.target().path()), context.parameters().string("namespace"));
        }
        return RolloutCollector.collect(context);
    }

    /**
     * maxUnavailable or maxSurge as a number of pods for {@code replicas}: a percentage rounds down for
     * maxUnavailable and up for maxSurge, as the Deployment controller does; -1 when the value cannot be read.
     */
    static int resolve(String value, int replicas, boolean roundUp) {
        if (value == null) {
            return -1;
        }
        try {
            if (value.endsWith("%")) {
                int pct = Integer.parseInt(value.substring(0, value.length() - 1).trim());
                return roundUp ? (int) Math.ceil(pct * replicas / 100.0) : pct * replicas / 100;
            }
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void evaluate(RolloutFacts facts, Parameters p, Evaluation.Builder out) {
        long maxDeadline = p.duration("max-progress-deadline").toSeconds();
        int risky = 0;
        for (DeploymentRollout d : facts.deployments()) {
            if (judge(d, maxDeadline, p, out)) {
                risky++;
            }
        }
        out.metric(Metric.of("deployments", facts.deployments().size(), ""));
        out.metric(Metric.of("deployments_with_findings", risky, ""));
    }

    /** True when the Deployment got at least one finding. */
    private static boolean judge(DeploymentRollout d, long maxDeadline, Parameters p, Evaluation.Builder out) {
        if (d.replicas() == 0) {
            return false; // scaled to zero on purpose: nothing to keep available
        }
        boolean found = false;
        Evidence base = Evidence.of("replicas", d.replicas(), "strategy", d.strategy());
        if ("Recreate".equals(d.strategy())) {
            boolean many = d.replicas() > 1;
            out.finding(RECREATE_STRATEGY, many ? Severity.WARNING : Severity.INFO, d.label() + " uses strategy "
                    + "Recreate: every rollout deletes all " + d.replicas() + " old pod" + (many ? "s" : "")
                    + " before the first new one starts, so each release is an outage of at least the new pods' "
                    + "start-up time" + (many ? "; with " + d.replicas() + " replicas RollingUpdate (maxUnavailable 0 or 1) "
                    + "keeps serving, unless the pods share a ReadWriteOnce volume or two versions must never run "
                    + "together" : "; expected when the pod holds a ReadWriteOnce volume, but then plan releases as "
                    + "downtime"), base.put("minReadySeconds", d.minReadySeconds()), d.key());
            found = true;
        } else {
            found = rolling(d, base, out);
        }
        if (d.replicas() == 1) {
            found = true;
            out.finding(SINGLE_REPLICA, Severity.INFO, d.label() + " runs 1 replica: a node failure, a drain or an "
                    + "eviction leaves it with no pod until the replacement is scheduled, pulled and Ready"
                    + ("Recreate".equals(d.strategy()) ? ", and so does every rollout" : "")
                    + "; run 2 or more (with a PodDisruptionBudget) if it must stay up",
                    Evidence.of("replicas", 1, "strategy", d.strategy()), d.key());
        }
        if (d.progressDeadlineSeconds() > maxDeadline) {
            found = true;
            out.finding(PROGRESS_DEADLINE_LONG, Severity.INFO, d.label() + " has progressDeadlineSeconds "
                    + d.progressDeadlineSeconds() + " (" + Durations.human(java.time.Duration.ofSeconds(d.progressDeadlineSeconds())) + "): a rollout "
                    + "that stops making progress is marked ProgressDeadlineExceeded (and KubeDeploymentRolloutStuck "
                    + "fires) only that late; the default 600s suits most services",
                    Evidence.of("progressDeadlineSeconds", d.progressDeadlineSeconds(),
                            "max-progress-deadline", p.raw().get("max-progress-deadline")), d.key());
        }
        return found;
    }

    private static boolean rolling(DeploymentRollout d, Evidence base, Evaluation.Builder out) {
        boolean found = false;
        int unavailable = resolve(d.maxUnavailable(), d.replicas(), false);
        int surge = resolve(d.maxSurge(), d.replicas(), true);
        Evidence e = base.put("maxUnavailable", d.maxUnavailable()).put("maxSurge", d.maxSurge());
        if (d.replicas() >= 2 && unavailable >= d.replicas()) {
            out.finding(MAX_UNAVAILABLE_ALL, Severity.WARNING, d.label() + " allows maxUnavailable " + d.maxUnavailable()
                    + " of " + d.replicas() + " replicas (" + unavailable + " pods): a rolling update may stop every "
                    + "old pod at once, as Recreate would, and a bad image then leaves no pod serving; set maxUnavailable "
                    + "to 25% or 1 (or 0 with maxSurge 1)",
                    e.put("maxUnavailable_pods", unavailable).put("maxSurge_pods", surge), d.key());
            found = true;
        }
        if (d.replicas() >= 2 && !d.containersWithoutReadiness().isEmpty()
                && d.containersWithoutReadiness().size() == d.containers().size() && d.minReadySeconds() == 0) {
            out.finding(NO_READINESS_PROBE, Severity.WARNING, d.label() + ": no container ("
                    + String.join(", ", d.containers()) + ") has a readiness probe and minReadySeconds is 0, so the "
                    + "rolling update counts each new pod available the moment its containers start and moves on to "
                    + "the next old pod; a release that starts but cannot serve replaces every replica before anyone "
                    + "notices. Add a readinessProbe (or at least minReadySeconds)",
                    Evidence.of("replicas", d.replicas(), "containers_without_readiness",
                            String.join(", ", d.containersWithoutReadiness()), "minReadySeconds", d.minReadySeconds()),
                    d.key());
            found = true;
        }
        return found;
    }
}
