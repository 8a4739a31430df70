package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.deployment;
import static io.opsdoc.lab.kubernetes.KubeObjects.suffix;
import static io.opsdoc.lab.kubernetes.KubeObjects.workloadPod;
import static io.opsdoc.lab.kubernetes.KubernetesLab.APP_NAMESPACE;
import static io.opsdoc.lab.kubernetes.KubernetesLab.NODES;
import static io.opsdoc.lab.kubernetes.ServiceObjects.endpoints;
import static io.opsdoc.lab.kubernetes.ServiceObjects.hpa;
import static io.opsdoc.lab.kubernetes.ServiceObjects.hpaCondition;
import static io.opsdoc.lab.kubernetes.ServiceObjects.hpaHealthy;
import static io.opsdoc.lab.kubernetes.ServiceObjects.ingress;
import static io.opsdoc.lab.kubernetes.ServiceObjects.pdb;
import static io.opsdoc.lab.kubernetes.ServiceObjects.service;
import static io.opsdoc.lab.kubernetes.ServiceObjects.slice;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Faults of Services, Ingresses and HorizontalPodAutoscalers in namespace {@value KubernetesLab#APP_NAMESPACE},
 * written as the endpoint controllers, the HPA controller and the ingress controller's world leave them.
 */
public final class ServiceFaults {
    private final KubernetesLab lab;

    ServiceFaults(KubernetesLab lab) {
        this.lab = lab;
    }

    private List<Pod> pods(String app) {
        return lab.client().pods().inNamespace(APP_NAMESPACE).withLabel("app", app).list().getItems();
    }

    /** The Services, slices, Endpoints, Ingress, HPA and PDB of the healthy cluster (see {@link KubernetesLab#heal()}). */
    void healthy(Instant now) {
        List<Pod> web = pods("web");
        lab.put(service("web", "web", "10.96.12.34", "http", 80, "http"));
        lab.put(slice("web", "7xk2p", web, "http", 8080));
        lab.put(endpoints("web", web, "http", 8080));
        var db = service("db", "db", "None", "postgres", 5432, "5432");
        lab.put(db);
        List<Pod> dbPods = pods("db");
        lab.put(slice("db", "q4m9d", dbPods, "postgres", 5432));
        lab.put(endpoints("db", dbPods, "postgres", 5432));
        lab.put(ingress("storefront", "shop.example.com", "/", "web", 80));
        lab.put(hpa("web", "web", 3, 10, 3, 3, 55, now.minus(2, ChronoUnit.DAYS), hpaHealthy(now)));
        lab.put(pdb("web", "web", 2, null, 3, 3, now));
    }

    /**
     * Every pod of shop/web fails its readiness probe: the Deployment has 0 available, and both endpoint controllers
     * moved the three addresses to not ready ({@code conditions.ready=false}, {@code notReadyAddresses}).
     */
    public void noReadyEndpoints() {
        lab.workloads().replicasBelowDesired(0);
        rewriteEndpoints("web", "7xk2p", "http", 8080, true);
    }

    /**
     * The same, in a cluster whose kube-controller-manager runs without the EndpointSlice controller
     * ({@code --controllers=*,-endpointslice-controller}): only the Endpoints object tells.
     */
    public void noReadyEndpointsWithoutSlices() {
        lab.workloads().replicasBelowDesired(0);
        lab.client().discovery().v1().endpointSlices().inNamespace(APP_NAMESPACE).delete();
        lab.client().endpoints().inNamespace(APP_NAMESPACE).withName("web").delete();
        lab.put(endpoints("web", pods("web"), "http", 8080));
    }

    private void rewriteEndpoints(String service, String suffix, String port, int targetPort, boolean slices) {
        List<Pod> pods = pods(service);
        if (slices) {
            lab.client().discovery().v1().endpointSlices().inNamespace(APP_NAMESPACE).withName(service + "-" + suffix).delete();
            lab.put(slice(service, suffix, pods, port, targetPort));
        }
        lab.client().endpoints().inNamespace(APP_NAMESPACE).withName(service).delete();
        lab.put(endpoints(service, pods, port, targetPort));
    }

    /**
     * Deployment shop/payments runs 2 Ready pods labelled {@code app=payments}, but its Service selects
     * {@code app=payment}: the EndpointSlice controller keeps a placeholder slice with no endpoints.
     */
    public void selectorTypo() {
        Instant now = Instant.now();
        lab.put(deployment("payments", 2, 2, 2, now.minus(3, ChronoUnit.DAYS), true));
        for (int i = 0; i < 2; i++) {
            lab.put(workloadPod("payments", "payments-6f7a8b9c0-" + suffix(i), NODES.get(1 + i), now));
        }
        lab.put(service("payments", "payment", "10.96.40.7", "http", 80, "http"));
        lab.put(slice("payments", "n3v8c", List.of(), "http", 8080));
        lab.put(endpoints("payments", List.of(), "http", 8080));
    }

    /** Ingress shop/admin routes admin.example.com to Service shop/admin, which was never created (or was deleted). */
    public void ingressMissingService() {
        lab.put(ingress("admin", "admin.example.com", "/", "admin", 80));
    }

    /** Ingress shop/storefront-api routes /api to port 8080 of Service shop/web, which exposes only port 80. */
    public void ingressWrongPort() {
        lab.put(ingress("storefront-api", "shop.example.com", "/api", "web", 8080));
    }

    /** Ingress shop/storefront-v2 routes to port name {@code https} of Service shop/web, which has only {@code http}. */
    public void ingressWrongPortName() {
        lab.put(ingress("storefront-v2", "v2.shop.example.com", "/", "web", "https"));
    }

    /**
     * HPA shop/web has run at its maximum of 10 replicas for {@code since}: CPU at 180 % of requests against a 70 %
     * target, ScalingLimited=True (TooManyReplicas) since then, and the Deployment scaled to 10.
     */
    public void hpaMaxedOut(Duration since) {
        Instant now = Instant.now();
        Instant at = now.minus(since);
        Deployment d = lab.client().apps().deployments().inNamespace(APP_NAMESPACE).withName("web").get();
        d.getSpec().setReplicas(10);
        d.getStatus().setReplicas(10);
        d.getStatus().setUpdatedReplicas(10);
        d.getStatus().setReadyReplicas(10);
        d.getStatus().setAvailableReplicas(10);
        lab.replace(d);
        lab.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(APP_NAMESPACE).withName("web").delete();
        lab.put(hpa("web", "web", 3, 10, 10, 10, 180, at, List.of(
                hpaCondition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", at),
                hpaCondition("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a "
                        + "replica count from cpu resource utilization (percentage of request)", now.minus(20, ChronoUnit.DAYS)),
                hpaCondition("ScalingLimited", "True", "TooManyReplicas",
                        "the desired replica count is more than the maximum replica count", at))));
    }

    /**
     * The metrics API is gone (metrics-server down or never installed): HPA shop/web cannot read CPU, so
     * ScalingActive=False with FailedGetResourceMetric and the message the HPA controller writes; no current metric.
     */
    public void hpaMetricsUnavailable() {
        Instant now = Instant.now();
        Instant since = now.minus(25, ChronoUnit.MINUTES);
        lab.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(APP_NAMESPACE).withName("web").delete();
        lab.put(hpa("web", "web", 3, 10, 3, 3, null, now.minus(2, ChronoUnit.DAYS), List.of(
                hpaCondition("AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's "
                        + "current scale", now.minus(2, ChronoUnit.DAYS)),
                hpaCondition("ScalingActive", "False", "FailedGetResourceMetric", "the HPA was unable to compute the "
                        + "replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable "
                        + "to fetch metrics from resource metrics API: the server could not find the requested resource "
                        + "(get pods.metrics.k8s.io)", since),
                hpaCondition("ScalingLimited", "False", "DesiredWithinRange", "the desired count is within the acceptable range",
                        now.minus(2, ChronoUnit.DAYS)))));
    }

    /**
     * HPA shop/worker scales Deployment shop/worker, which was renamed: the controller cannot read the scale
     * subresource, AbleToScale=False with FailedGetScale, and no replica count was ever recorded.
     */
    public void hpaTargetMissing() {
        Instant now = Instant.now();
        lab.put(hpa("worker", "worker", 2, 8, 0, 0, null, null, List.of(
                hpaCondition("AbleToScale", "False", "FailedGetScale", "the HPA controller was unable to get the target's "
                        + "current scale: deployments/scale.apps \"worker\" not found", now.minus(40, ChronoUnit.MINUTES)))));
    }

    /** HPA shop/search with minReplicas = maxReplicas = 4: it can never change the replica count. */
    public void hpaMinEqualsMax() {
        Instant now = Instant.now();
        lab.put(deployment("search", 4, 4, 4, now.minus(9, ChronoUnit.DAYS), true));
        lab.put(hpa("search", "search", 4, 4, 4, 4, 40, now.minus(9, ChronoUnit.DAYS), List.of(
                hpaCondition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size",
                        now.minus(9, ChronoUnit.DAYS)),
                hpaCondition("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a "
                        + "replica count from cpu resource utilization (percentage of request)", now.minus(9, ChronoUnit.DAYS)),
                hpaCondition("ScalingLimited", "True", "TooFewReplicas",
                        "the desired replica count is less than the minimum replica count", now.minus(9, ChronoUnit.DAYS)))));
    }

    /** PodDisruptionBudget shop/web set to maxUnavailable 0: the disruption controller allows no eviction at all. */
    public void pdbAllowsNoDisruption() {
        lab.client().policy().v1().podDisruptionBudget().inNamespace(APP_NAMESPACE).withName("web").delete();
        lab.put(pdb("web", "web", null, 0, 3, 3, Instant.now()));
    }
}
