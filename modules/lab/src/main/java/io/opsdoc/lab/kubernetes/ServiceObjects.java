package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.ts;
import static io.opsdoc.lab.kubernetes.KubernetesLab.APP_NAMESPACE;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerConditionBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPortBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Services, their EndpointSlices and Endpoints, Ingresses, HorizontalPodAutoscalers and PodDisruptionBudgets as the
 * controllers that own their status write them: the EndpointSlice and Endpoints controllers list every pod with an
 * IP (ready or not, {@code conditions.ready} / {@code notReadyAddresses}), the HPA controller sets AbleToScale,
 * ScalingActive and ScalingLimited with its own reasons and messages, the disruption controller counts
 * {@code disruptionsAllowed}.
 */
final class ServiceObjects {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ServiceObjects() {
    }

    static Service service(String name, String app, String clusterIp, String portName, int port, String targetPort) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(APP_NAMESPACE).addToLabels("app", name)
                .endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp).withClusterIPs(clusterIp)
                .addToSelector("app", app)
                .addNewPort().withName(portName).withPort(port).withProtocol("TCP")
                .withTargetPort(targetPort.chars().allMatch(Character::isDigit) ? new IntOrString(Integer.parseInt(targetPort))
                        : new IntOrString(targetPort)).endPort()
                .withSessionAffinity("None").endSpec()
                .withNewStatus().withNewLoadBalancer().endLoadBalancer().endStatus().build();
    }

    /** An address of a pod, as both endpoint controllers derive it: one IP per pod, from its node's pod CIDR. */
    static String podIp(Pod p) {
        String node = p.getSpec().getNodeName();
        return "10.244." + KubernetesLab.NODES.indexOf(node) + "." + (10 + Math.abs(p.getMetadata().getName().hashCode() % 200));
    }

    /** The slice the EndpointSlice controller keeps for a Service: every pod with an IP, with its readiness. */
    static EndpointSlice slice(String service, String suffix, List<Pod> pods, String portName, int targetPort) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Pod p : pods) {
            boolean ready = ready(p);
            boolean terminating = p.getMetadata().getDeletionTimestamp() != null;
            endpoints.add(new EndpointBuilder().withAddresses(podIp(p))
                    .withNewConditions().withReady(ready && !terminating).withServing(ready).withTerminating(terminating)
                    .endConditions().withNodeName(p.getSpec().getNodeName())
                    .withNewTargetRef().withKind("Pod").withNamespace(APP_NAMESPACE).withName(p.getMetadata().getName())
                    .withUid("uid-" + p.getMetadata().getName()).endTargetRef().build());
        }
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(service + "-" + suffix)
                .withNamespace(APP_NAMESPACE).withGenerateName(service + "-")
                .addToLabels(SERVICE_NAME_LABEL, service)
                .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
                .addNewOwnerReference().withApiVersion("v1").withKind("Service").withName(service).withController(true)
                .withBlockOwnerDeletion(true).withUid("uid-svc-" + service).endOwnerReference()
                .endMetadata().withAddressType("IPv4").withEndpoints(endpoints);
        // a selector that matches nothing leaves a placeholder slice: no endpoints and no ports
        if (!pods.isEmpty()) {
            b.addNewPort().withName(portName).withPort(targetPort).withProtocol("TCP").endPort();
        }
        return b.build();
    }

    /** The Endpoints object the Endpoints controller still writes (deprecated from v1.33, served by both variants). */
    static Endpoints endpoints(String service, List<Pod> pods, String portName, int targetPort) {
        List<EndpointAddress> ready = new ArrayList<>();
        List<EndpointAddress> notReady = new ArrayList<>();
        for (Pod p : pods) {
            EndpointAddress a = new EndpointAddressBuilder().withIp(podIp(p)).withNodeName(p.getSpec().getNodeName())
                    .withNewTargetRef().withKind("Pod").withNamespace(APP_NAMESPACE).withName(p.getMetadata().getName())
                    .withUid("uid-" + p.getMetadata().getName()).endTargetRef().build();
            (ready(p) && p.getMetadata().getDeletionTimestamp() == null ? ready : notReady).add(a);
        }
        EndpointsBuilder b = new EndpointsBuilder().withNewMetadata().withName(service).withNamespace(APP_NAMESPACE)
                .addToLabels("app", service).endMetadata();
        if (!pods.isEmpty()) {
            b.addNewSubset().withAddresses(ready.isEmpty() ? null : ready).withNotReadyAddresses(notReady.isEmpty() ? null : notReady)
                    .addNewPort().withName(portName).withPort(targetPort).withProtocol("TCP").endPort().endSubset();
        }
        return b.build();
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** An Ingress of class nginx routing {@code host}{@code path} to a Service port given by number or by name. */
    static Ingress ingress(String name, String host, String path, String service, Object port) {
        var backendPort = port instanceof Integer n ? new ServiceBackendPortBuilder().withNumber(n).build()
                : new ServiceBackendPortBuilder().withName(String.valueOf(port)).build();
        return new IngressBuilder().withNewMetadata().withName(name).withNamespace(APP_NAMESPACE).withGeneration(1L).endMetadata()
                .withNewSpec().withIngressClassName("nginx")
                .addNewRule().withHost(host).withNewHttp().addNewPath().withPath(path).withPathType("Prefix")
                .withNewBackend().withNewService().withName(service).withPort(backendPort).endService().endBackend()
                .endPath().endHttp().endRule().endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("192.0.2.10").endIngress().endLoadBalancer()
                .endStatus().build();
    }

    static HorizontalPodAutoscalerCondition hpaCondition(String type, String status, String reason, String message,
            Instant since) {
        return new HorizontalPodAutoscalerConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastTransitionTime(ts(since)).build();
    }

    /**
     * An autoscaling/v2 HPA on Deployment {@code target}, scaling on CPU utilisation (target 70 %), with the status
     * the HPA controller last wrote; {@code cpuPercent} null when it could not read the metric.
     */
    static HorizontalPodAutoscaler hpa(String name, String target, int min, int max, int current, int desired,
            Integer cpuPercent, Instant lastScale, List<HorizontalPodAutoscalerCondition> conditions) {
        var status = new HorizontalPodAutoscalerBuilder().withNewStatus().withCurrentReplicas(current)
                .withDesiredReplicas(desired).withLastScaleTime(lastScale == null ? null : ts(lastScale))
                .withObservedGeneration(1L).withConditions(conditions);
        if (cpuPercent != null) {
            status.addNewCurrentMetric().withType("Resource").withNewResource().withName("cpu").withNewCurrent()
                    .withAverageUtilization(cpuPercent).withAverageValue(new io.fabric8.kubernetes.api.model.Quantity(
                            (cpuPercent * 250 / 100) + "m")).endCurrent().endResource().endCurrentMetric();
        }
        HorizontalPodAutoscaler h = status.endStatus().build();
        h.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(APP_NAMESPACE)
                .withGeneration(1L).withCreationTimestamp(ts(Instant.now().minus(20, ChronoUnit.DAYS))).build());
        h.setSpec(new HorizontalPodAutoscalerBuilder().withNewSpec().withMinReplicas(min).withMaxReplicas(max)
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(target).endScaleTargetRef()
                .addNewMetric().withType("Resource").withNewResource().withName("cpu").withNewTarget()
                .withType("Utilization").withAverageUtilization(70).endTarget().endResource().endMetric()
                .endSpec().build().getSpec());
        return h;
    }

    /** The healthy conditions: the metric read, the recommendation within min and max. */
    static List<HorizontalPodAutoscalerCondition> hpaHealthy(Instant now) {
        return List.of(
                hpaCondition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size",
                        now.minus(2, ChronoUnit.DAYS)),
                hpaCondition("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a "
                        + "replica count from cpu resource utilization (percentage of request)", now.minus(20, ChronoUnit.DAYS)),
                hpaCondition("ScalingLimited", "False", "DesiredWithinRange", "the desired count is within the acceptable range",
                        now.minus(2, ChronoUnit.DAYS)));
    }

    /** A PDB over {@code app=<app>} with the counts the disruption controller computes from the healthy pods. */
    static PodDisruptionBudget pdb(String name, String app, Integer minAvailable, Integer maxUnavailable, int expected,
            int healthy, Instant now) {
        int desiredHealthy = minAvailable != null ? minAvailable : expected - maxUnavailable;
        int allowed = Math.max(0, healthy - desiredHealthy);
        var b = new PodDisruptionBudgetBuilder().withNewMetadata().withName(name).withNamespace(APP_NAMESPACE)
                .withGeneration(1L).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", app).endSelector();
        if (minAvailable != null) {
            b.withNewMinAvailable(minAvailable);
        } else {
            b.withNewMaxUnavailable(maxUnavailable);
        }
        return b.endSpec().withNewStatus().withObservedGeneration(1L).withExpectedPods(expected)
                .withCurrentHealthy(healthy).withDesiredHealthy(desiredHealthy).withDisruptionsAllowed(allowed)
                .addToConditions(new io.fabric8.kubernetes.api.model.ConditionBuilder().withType("DisruptionAllowed").withStatus(allowed > 0 ? "True" : "False")
                .withReason(allowed > 0 ? "SufficientPods" : "InsufficientPods").withMessage("")
                .withObservedGeneration(1L).withLastTransitionTime(ts(now.minus(1, ChronoUnit.DAYS))).build())
                .endStatus().build();
    }
}
