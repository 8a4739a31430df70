package io.opsdoc.checks.kubernetes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code k8s-service-endpoints} reads: Services, the endpoints their controllers published (from EndpointSlices,
 * or from Endpoints where a Service has no slice), the labels and readiness of pods, and every Ingress backend.
 *
 * @param backends per {@code namespace/service}: what the endpoint controllers published; absent when nothing was
 */
public record ServiceFacts(Instant observedAt, String namespace, List<Svc> services, Map<String, Backends> backends,
        List<PodLabels> pods, List<IngressBackend> ingressBackends) {

    /** A Service port: {@code targetPort} as written (a number or a container port name). */
    public record SvcPort(String name, int port, String targetPort) {
    }

    /** @param selector empty for a Service without selector (its endpoints are managed by hand) */
    public record Svc(String namespace, String name, String type, Map<String, String> selector, List<SvcPort> ports) {
        public String key() {
            return namespace + "/" + name;
        }
    }

    /** @param source EndpointSlice or Endpoints */
    public record Backends(int total, int ready, String source) {
    }

    public record PodLabels(String namespace, String name, Map<String, String> labels, String phase, boolean ready,
            boolean terminating, boolean scheduled) {
    }

    /** One backend of one Ingress rule path (or its default backend): the Service and its port by number or name. */
    public record IngressBackend(String namespace, String ingress, String host, String path, String service,
            Integer portNumber, String portName) {
        public String route() {
            return (host == null || host.isEmpty() ? "*" : host) + (path == null ? "" : path);
        }
    }
}
