package io.opsdoc.lab.kubernetes;

import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.Scenario;
import java.util.List;

/**
 * The k8s-rollout-safety and k8s-image-policy scenarios of {@link KubernetesScenarios}: release settings, which read
 * the same fields on every version, so they run on the v1.32 variant only (half the test time, nothing lost).
 */
final class ReleaseScenarios {
    private static final String ROLLOUT = "k8s-rollout-safety";
    private static final String IMAGES = "k8s-image-policy";

    private ReleaseScenarios() {
    }

    private static Scenario.Builder<KubernetesLab> on(String id, String story, String check) {
        return ServiceScenarios.on(id, story, check).onlyOn(KubernetesScenarios.V132);
    }

    static List<Scenario<KubernetesLab>> all() {
        return List.of(
                on("rollout-healthy", "shop/web: 3 replicas, rolling update 25 %/25 %, readiness probes", ROLLOUT)
                        .healthy().absent("SINGLE_REPLICA", "RECREATE_STRATEGY").metrics("deployments", "deployments_with_findings")
                        .build(),
                on("rollout-recreate", "shop/frontend runs 4 replicas with strategy Recreate", ROLLOUT)
                        .breaks(lab -> lab.releases().recreateMultiReplica())
                        .expect(code("RECREATE_STRATEGY").severity(WARNING).evidence("replicas", 4)
                                .evidence("strategy", "Recreate")
                                .says("Deployment shop/frontend uses strategy Recreate", "deletes all 4 old pods"))
                        .absent("MAX_UNAVAILABLE_ALL", "SINGLE_REPLICA", "NO_READINESS_PROBE").build(),
                on("rollout-recreate-single-volume", "shop/grafana: 1 replica, Recreate because it mounts a "
                        + "ReadWriteOnce claim", ROLLOUT)
                        .breaks(lab -> lab.releases().recreateSingleWithVolume()).healthy()
                        .expect(code("RECREATE_STRATEGY").severity(INFO).says("ReadWriteOnce"))
                        .expect(code("SINGLE_REPLICA").severity(INFO).says("Deployment shop/grafana runs 1 replica",
                                "and so does every rollout")).build(),
                on("rollout-no-readiness", "shop/legacy-api: 3 replicas rolled without readiness probes or "
                        + "minReadySeconds", ROLLOUT)
                        .breaks(lab -> lab.releases().noReadinessProbe(0))
                        .expect(code("NO_READINESS_PROBE").severity(WARNING)
                                .evidence("containers_without_readiness", "legacy-api").evidence("minReadySeconds", 0)
                                .says("Deployment shop/legacy-api", "the moment its containers start"))
                        .absent("MAX_UNAVAILABLE_ALL").build(),
                on("rollout-no-readiness-min-ready", "the same shop/legacy-api with minReadySeconds 30", ROLLOUT)
                        .breaks(lab -> lab.releases().noReadinessProbe(30)).healthy().absent("NO_READINESS_PROBE").build(),
                on("rollout-max-unavailable-percent", "shop/checkout-v2: 4 replicas, maxUnavailable 100%", ROLLOUT)
                        .breaks(lab -> lab.releases().maxUnavailable("100%"))
                        .expect(code("MAX_UNAVAILABLE_ALL").severity(WARNING).evidence("maxUnavailable", "100%")
                                .evidence("maxUnavailable_pods", 4).says("may stop every old pod at once"))
                        .absent("RECREATE_STRATEGY").build(),
                on("rollout-max-unavailable-count", "shop/checkout-v2: 4 replicas, maxUnavailable 4", ROLLOUT)
                        .breaks(lab -> lab.releases().maxUnavailable("4"))
                        .expect(code("MAX_UNAVAILABLE_ALL").severity(WARNING).evidence("maxUnavailable", "4")).build(),
                on("rollout-max-unavailable-half", "shop/checkout-v2: 4 replicas, maxUnavailable 50%: two keep serving",
                        ROLLOUT)
                        .breaks(lab -> lab.releases().maxUnavailable("50%")).healthy().absent("MAX_UNAVAILABLE_ALL").build(),
                on("rollout-single-replica", "shop/search runs a single replica", ROLLOUT)
                        .breaks(lab -> lab.releases().singleReplica()).healthy()
                        .expect(code("SINGLE_REPLICA").severity(INFO).evidence("replicas", 1).says("a drain"))
                        .absent("RECREATE_STRATEGY").build(),
                on("rollout-progress-deadline-long", "shop/ledger waits a day before calling a rollout stuck", ROLLOUT)
                        .breaks(lab -> lab.releases().longProgressDeadline()).healthy()
                        .expect(code("PROGRESS_DEADLINE_LONG").severity(INFO).evidence("progressDeadlineSeconds", 86_400)
                                .says("1d0h", "KubeDeploymentRolloutStuck")).build(),
                on("rollout-progress-deadline-set", "the same day-long deadline with max-progress-deadline 2d", ROLLOUT)
                        .param("max-progress-deadline", "2d")
                        .breaks(lab -> lab.releases().longProgressDeadline()).healthy().absent("PROGRESS_DEADLINE_LONG")
                        .build(),
                on("rollout-manifest-risky", "a repository's manifest before kubectl apply: shop/api on Recreate, "
                        + "worker (no namespace) with maxUnavailable 100% and no probes", ROLLOUT)
                        .target(lab -> "file://" + lab.releases().manifest("risky"))
                        .expect(code("RECREATE_STRATEGY").severity(WARNING).says("Deployment shop/api uses strategy Recreate"))
                        .expect(code("MAX_UNAVAILABLE_ALL").severity(WARNING).evidence("maxUnavailable", "100%")
                                .says("Deployment default/worker"))
                        .expect(code("NO_READINESS_PROBE").severity(WARNING).says("Deployment default/worker")).build(),
                on("rollout-manifest-safe", "the same shop/api manifest with the default strategy and a readiness probe",
                        ROLLOUT)
                        .target(lab -> "file://" + lab.releases().manifest("safe")).healthy()
                        .absent("RECREATE_STRATEGY", "NO_READINESS_PROBE", "MAX_UNAVAILABLE_ALL").build(),

                on("images-healthy", "every workload runs a versioned tag with IfNotPresent", IMAGES).healthy()
                        .expect(code("UNPINNED_IMAGE").severity(INFO).evidence("workloads_unpinned", 3))
                        .absent("LATEST_TAG", "PULL_POLICY_NEVER").metrics("workloads", "workloads_unpinned").build(),
                on("images-require-digest", "the same cluster, with require-digest set", IMAGES)
                        .param("require-digest", "true")
                        .expect(code("UNPINNED_IMAGE").severity(WARNING).says("require-digest is set")).build(),
                on("images-pinned-namespace", "namespace payments runs its ledger by digest only", IMAGES)
                        .param("namespace", "payments").breaks(lab -> lab.releases().pinnedByDigest()).healthy()
                        .absent("UNPINNED_IMAGE", "LATEST_TAG", "PULL_POLICY_NEVER").build(),
                on("images-latest-tag", "shop/admin's 2 replicas run registry.example.com/shop/admin:latest", IMAGES)
                        .breaks(lab -> lab.releases().latestTag())
                        .expect(code("LATEST_TAG").severity(WARNING).evidence("image", "registry.example.com/shop/admin:latest")
                                .evidence("imagePullPolicy", "Always").evidence("pods", 2)
                                .says("Deployment shop/admin (2 pods)", "replicas started on different days"))
                        .absent("PULL_POLICY_NEVER").build(),
                on("images-untagged-init", "shop/importer's init container runs plain busybox", IMAGES)
                        .breaks(lab -> lab.releases().untaggedInitContainer())
                        .expect(code("LATEST_TAG").severity(WARNING).evidence("containers", "init container wait-for-db (busybox)")
                                .says("Deployment shop/importer")).build(),
                on("images-pull-never", "shop/edge-cache's image was side-loaded with ctr import; pull policy Never",
                        IMAGES)
                        .breaks(lab -> lab.releases().pullPolicyNever())
                        .expect(code("PULL_POLICY_NEVER").severity(WARNING).evidence("imagePullPolicy", "Never")
                                .says("Deployment shop/edge-cache (2 pods)", "ErrImageNeverPull"))
                        .absent("LATEST_TAG").build());
    }
}
