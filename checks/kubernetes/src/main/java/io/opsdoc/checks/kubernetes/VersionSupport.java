package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.VersionCode.*;

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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Is the cluster on a Kubernetes version upstream still patches? Compares the API server's minor version from
 * {@code GET /version} with the release table opsdoc keeps ({@link KubeReleases}, dated): past its end of life (no
 * more security fixes), within {@code eol-warning} of it, or not in the table. Managed offerings (EKS, GKE, AKS) run
 * their own, longer calendars; the upstream date is still when the community stops fixing it. Kubelet skew against
 * the API server is {@code k8s-node-notready}'s KUBELET_VERSION_SKEW.
 */
public final class VersionSupport extends DescribedCheck<VersionFacts> {
    public static final String ID = "k8s-version-support";
    static final String NOTE = "kubernetes/versions";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("eol-warning", ParameterType.DURATION, "90d",
                    "a minor version whose upstream end of life is closer than this is VERSION_EOL_SOON (an upgrade takes "
                            + "planning: one minor at a time)"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.nonResource(ID,
            "Reads GET /version (allowed to everyone by system:public-info-viewer in default clusters).", List.of("/version")));

    public VersionSupport() {
        super(ID, KubeTarget.SCHEME, "Is the Kubernetes API server on a minor version upstream still supports?",
                VersionFacts.class, PARAMETERS, VersionCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public VersionFacts collect(CheckContext context) throws Exception {
        try (KubeSession session = KubeSession.open(context, ID)) {
            return new VersionFacts(java.time.Instant.now(), session.version());
        }
    }

    @Override
    public void evaluate(VersionFacts facts, Parameters p, Evaluation.Builder out) {
        LocalDate today = facts.observedAt().atZone(ZoneOffset.UTC).toLocalDate();
        int minor = facts.server().minorNumber();
        String version = facts.server().display();
        Evidence e = Evidence.of("version", version, "table_as_of", KubeReleases.AS_OF.toString());
        long tableAge = ChronoUnit.DAYS.between(KubeReleases.AS_OF, today);
        String stale = tableAge > 183 ? " (opsdoc's release table is " + tableAge + " days old: update opsdoc)" : "";
        LocalDate eol = minor < 0 ? null : KubeReleases.endOfLife(minor);
        if (eol == null) {
            out.finding(VERSION_UNKNOWN, Severity.INFO, minor < 0 ? "the API server did not report a version opsdoc "
                    + "can read (" + version + ")" : "Kubernetes 1." + minor + " (" + version + ") is newer than opsdoc's "
                    + "release table (up to 1." + KubeReleases.newest() + ", as of " + KubeReleases.AS_OF + "): its end "
                    + "of life is not known here; see kubernetes.io/releases" + stale, e, "1." + Math.max(minor, 0));
            return;
        }
        long days = ChronoUnit.DAYS.between(today, eol);
        e.put("end_of_life", eol.toString()).put("days_left", days);
        out.metric(Metric.of("days_to_end_of_life", days, "d"));
        Duration warning = p.duration("eol-warning");
        if (days < 0) {
            out.finding(VERSION_EOL, Severity.WARNING, "Kubernetes 1." + minor + " (" + version + ") reached its "
                    + "upstream end of life on " + eol + ", " + (-days) + " days ago: no more security or bug fixes. "
                    + "Plan the upgrade one minor version at a time (control plane first, then the kubelets; a kubelet "
                    + "may be up to three minors behind)" + stale, e, "1." + minor);
        } else if (days < warning.toDays()) {
            out.finding(VERSION_EOL_SOON, Severity.INFO, "Kubernetes 1." + minor + " (" + version + ") reaches its "
                    + "upstream end of life on " + eol + ", in " + days + " days (its last two months are maintenance "
                    + "mode: critical fixes only). Plan the upgrade now" + stale,
                    e.put("eol-warning", p.raw().get("eol-warning")), "1." + minor);
        }
    }
}
