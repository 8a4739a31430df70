package io.opsdoc.lab.kubernetes;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.Scenario;
import java.time.Duration;
import java.util.List;

/** The k8s-service-endpoints, k8s-hpa and k8s-version-support scenarios of {@link KubernetesScenarios}: the same API on both variants. */
final class ServiceScenarios {
    private static final String SERVICES = "k8s-service-endpoints";
    private static final String HPA = "k8s-hpa";
    private static final String VERSION = "k8s-version-support";

    private ServiceScenarios() {
    }

    static List<Scenario<KubernetesLab>> all() {
        return List.of(
                on("services-healthy", "Services web and db have ready endpoints; Ingress storefront routes to web:80",
                        SERVICES).healthy().metrics("services_with_selector", "services_without_ready_endpoints").build(),
                on("service-no-ready-endpoints", "every pod of shop/web fails its readiness probe: the EndpointSlice "
                        + "lists the three addresses with ready=false", SERVICES)
                        .breaks(lab -> lab.services().noReadyEndpoints())
                        .expect(code("SERVICE_WITHOUT_ENDPOINTS").severity(CRITICAL).evidence("source", "EndpointSlice")
                                .evidence("pods_matching", 3).evidence("endpoints", 3).evidence("endpoints_ready", 0)
                                .says("Service shop/web has no ready endpoint", "3 not Ready",
                                        "Ingress shop/storefront (shop.example.com/)"))
                        .absent("SELECTOR_MATCHES_NO_POD", "INGRESS_BACKEND_MISSING").build(),
                on("service-no-ready-endpoints-no-slices", "the same, in a cluster running without the EndpointSlice "
                        + "controller: only Endpoints (notReadyAddresses) tell", SERVICES)
                        .breaks(lab -> lab.services().noReadyEndpointsWithoutSlices())
                        .expect(code("SERVICE_WITHOUT_ENDPOINTS").severity(CRITICAL).evidence("source", "Endpoints")
                                .evidence("endpoints", 3)).build(),
                on("service-selector-typo", "Service shop/payments selects app=payment; its pods are labelled "
                        + "app=payments", SERVICES)
                        .breaks(lab -> lab.services().selectorTypo())
                        .expect(code("SELECTOR_MATCHES_NO_POD").severity(WARNING).evidence("selector", "app=payment")
                                .evidence("endpoints", 0).says("Service shop/payments selects app=payment", "--show-labels"))
                        .absent("SERVICE_WITHOUT_ENDPOINTS").build(),
                on("ingress-service-missing", "Ingress shop/admin routes admin.example.com to Service admin, which "
                        + "does not exist", SERVICES)
                        .breaks(lab -> lab.services().ingressMissingService())
                        .expect(code("INGRESS_BACKEND_MISSING").severity(WARNING)
                                .evidence("backends", "admin.example.com/ -> Service admin does not exist")
                                .says("Ingress shop/admin", "503"))
                        .absent("SERVICE_WITHOUT_ENDPOINTS", "SELECTOR_MATCHES_NO_POD").build(),
                on("ingress-port-missing", "Ingress shop/storefront-api sends /api to port 8080 of Service web, "
                        + "which exposes port 80", SERVICES)
                        .breaks(lab -> lab.services().ingressWrongPort())
                        .expect(code("INGRESS_BACKEND_MISSING").severity(WARNING)
                                .evidence("backends", "shop.example.com/api -> Service web has no port 8080 (it has 80/http)"))
                        .build(),
                on("ingress-port-name-missing", "Ingress shop/storefront-v2 names port 'https' of Service web, which "
                        + "only has 'http'", SERVICES)
                        .breaks(lab -> lab.services().ingressWrongPortName())
                        .expect(code("INGRESS_BACKEND_MISSING").severity(WARNING).says("has no port named https")).build(),
                on("service-other-namespace", "the web Service is down, the check looks at kube-system only", SERVICES)
                        .param("namespace", "kube-system").breaks(lab -> lab.services().noReadyEndpoints()).healthy()
                        .build(),

                on("hpa-healthy", "HPA shop/web at 3 of 3-10 replicas, CPU 55% of a 70% target", HPA).healthy()
                        .metrics("hpas", "hpas_maxed_out").build(),
                on("hpa-maxed-out", "HPA shop/web has run at 10 of 10 replicas for 40 minutes, CPU at 180%", HPA)
                        .breaks(lab -> lab.services().hpaMaxedOut(Duration.ofMinutes(40)))
                        .expect(code("HPA_MAXED_OUT").severity(WARNING).evidence("currentReplicas", 10)
                                .evidence("maxReplicas", 10).evidence("ScalingLimited", "TooManyReplicas")
                                .evidence("metrics", "cpu 180% (target 70%)")
                                .says("maximum of 10 replicas for 40m", "Raise maxReplicas"))
                        .absent("HPA_CANNOT_SCALE", "HPA_METRICS_UNAVAILABLE").build(),
                on("hpa-maxed-briefly", "HPA shop/web reached its maximum 5 minutes ago: a burst, within the 15 minutes",
                        HPA)
                        .breaks(lab -> lab.services().hpaMaxedOut(Duration.ofMinutes(5))).healthy()
                        .absent("HPA_MAXED_OUT").build(),
                on("hpa-maxed-set-window", "the same 5 minutes at maximum, with maxed-for set to 3m", HPA)
                        .param("maxed-for", "3m").breaks(lab -> lab.services().hpaMaxedOut(Duration.ofMinutes(5)))
                        .expect(code("HPA_MAXED_OUT").severity(WARNING).evidence("maxed-for", "3m")).build(),
                on("hpa-metrics-unavailable", "metrics-server is gone: HPA shop/web reports FailedGetResourceMetric",
                        HPA)
                        .breaks(lab -> lab.services().hpaMetricsUnavailable())
                        .expect(code("HPA_METRICS_UNAVAILABLE").severity(WARNING).evidence("reason", "FailedGetResourceMetric")
                                .evidence("metrics", "cpu <unknown> (target 70%)")
                                .says("ScalingActive=False", "for 25m", "is metrics-server running?"))
                        .absent("HPA_CANNOT_SCALE", "HPA_MAXED_OUT").build(),
                on("hpa-target-missing", "HPA shop/worker scales a Deployment that was renamed: FailedGetScale", HPA)
                        .breaks(lab -> lab.services().hpaTargetMissing())
                        .expect(code("HPA_CANNOT_SCALE").severity(WARNING).evidence("reason", "FailedGetScale")
                                .says("HPA shop/worker", "AbleToScale=False", "deployments/scale.apps \"worker\" not found",
                                        "scaleTargetRef"))
                        .absent("HPA_METRICS_UNAVAILABLE").build(),
                on("hpa-min-equals-max", "HPA shop/search is pinned to 4-4 replicas", HPA)
                        .breaks(lab -> lab.services().hpaMinEqualsMax()).healthy()
                        .expect(code("HPA_MIN_EQUALS_MAX").severity(INFO).says("minReplicas = maxReplicas = 4"))
                        .absent("HPA_MAXED_OUT").build(),

                // the release table is dated: these hold while v1.36 is more than 90 days from its end of life
                // (2027-06-28); when they fail, the table in KubeReleases needs its yearly update
                on("version-eol", "the API server runs this variant's version, past its upstream end of life", VERSION)
                        .expect(code("VERSION_EOL").severity(WARNING).says("upstream end of life on", "one minor version at a time"))
                        .build(),
                on("version-supported", "the control plane was upgraded to v1.36.2", VERSION)
                        .breaks(lab -> lab.serveVersion("v1.36.2")).healthy()
                        .absent("VERSION_EOL", "VERSION_EOL_SOON", "VERSION_UNKNOWN").metrics("days_to_end_of_life").build(),
                on("version-eol-soon-set-window", "v1.36.2 with eol-warning set to 400d: its end of life is in reach",
                        VERSION)
                        .param("eol-warning", "400d").breaks(lab -> lab.serveVersion("v1.36.2"))
                        .expect(code("VERSION_EOL_SOON").severity(INFO).evidence("end_of_life", "2027-06-28")
                                .says("Kubernetes 1.36 (v1.36.2)", "maintenance mode")).build(),
                on("version-newer-than-table", "the control plane runs v1.37.1, newer than opsdoc's release table",
                        VERSION)
                        .breaks(lab -> lab.serveVersion("v1.37.1")).healthy()
                        .expect(code("VERSION_UNKNOWN").severity(INFO).says("newer than opsdoc's release table",
                                "up to 1.36")).build());
    }

    static Scenario.Builder<KubernetesLab> on(String id, String story, String check) {
        return Scenario.<KubernetesLab>of(id, story).checks(check).target(KubernetesLab::targetUri);
    }
}
