package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.opsdoc.checks.kubernetes.ServiceFacts.Backends;
import io.opsdoc.checks.kubernetes.ServiceFacts.PodLabels;
import io.opsdoc.checks.kubernetes.ServiceFacts.Svc;
import io.opsdoc.checks.kubernetes.ServiceFacts.SvcPort;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The I/O half of {@link ServiceEndpoints}: Services, EndpointSlices (Endpoints where a Service has none), pods, Ingresses. */
final class ServiceCollector {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ServiceCollector() {
    }

    static ServiceFacts collect(CheckContext context) throws ProbeException {
        String namespace = context.parameters().string("namespace");
        try (KubeSession session = KubeSession.open(context, ServiceEndpoints.ID)) {
            var client = session.client();
            List<Svc> services = new ArrayList<>();
            KubeLists.each(session, "services", client.services(), namespace, s -> services.add(service(s)));
            Map<String, int[]> slices = new HashMap<>();
            boolean slicesServed = true;
            try {
                KubeLists.each(session, "endpointslices", client.discovery().v1().endpointSlices(), namespace, s -> count(s, slices));
            } catch (ProbeException e) {
                if (!(e.getCause() instanceof KubernetesClientException k) || k.getCode() != 404) {
                    throw e;
                }
                slicesServed = false; // discovery.k8s.io/v1 not served: the Endpoints objects are all there is
            }
            Map<String, Backends> backends = new HashMap<>();
            slices.forEach((k, v) -> backends.put(k, new Backends(v[0], v[1], "EndpointSlice")));
            // a Service with a selector always gets a slice from the EndpointSlice controller; without one (controller
            // off, or an old cluster) the Endpoints object is the record
            boolean missing = services.stream().anyMatch(s -> !s.selector().isEmpty() && !backends.containsKey(s.key()));
            if (!slicesServed || missing) {
                KubeLists.each(session, "endpoints", client.endpoints(), namespace, ep -> {
                    String key = ep.getMetadata().getNamespace() + "/" + ep.getMetadata().getName();
                    backends.putIfAbsent(key, endpoints(ep));
                });
            }
            List<PodLabels> pods = new ArrayList<>();
            KubeLists.each(session, "pods", client.pods(), namespace, p -> pods.add(pod(p)));
            List<ServiceFacts.IngressBackend> ingress = new ArrayList<>();
            KubeLists.each(session, "ingresses", client.network().v1().ingresses(), namespace, i -> ingress(i, ingress));
            return new ServiceFacts(Instant.now(), namespace, services, backends, pods, ingress);
        }
    }

    private static Svc service(Service s) {
        List<SvcPort> ports = new ArrayList<>();
        if (s.getSpec().getPorts() != null) {
            s.getSpec().getPorts().forEach(p -> ports.add(new SvcPort(p.getName(), p.getPort() == null ? 0 : p.getPort(),
                    p.getTargetPort() == null ? null : p.getTargetPort().getIntVal() != null
                            ? String.valueOf(p.getTargetPort().getIntVal()) : p.getTargetPort().getStrVal())));
        }
        Map<String, String> selector = s.getSpec().getSelector() == null ? Map.of() : Map.copyOf(s.getSpec().getSelector());
        return new Svc(s.getMetadata().getNamespace(), s.getMetadata().getName(), s.getSpec().getType(), selector, ports);
    }

    private static void count(EndpointSlice s, Map<String, int[]> out) {
        String service = s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
        if (service == null) {
            return;
        }
        int[] c = out.computeIfAbsent(s.getMetadata().getNamespace() + "/" + service, k -> new int[2]);
        if (s.getEndpoints() != null) {
            for (Endpoint e : s.getEndpoints()) {
                c[0]++;
                // the API: a nil ready condition is an unknown state that consumers should treat as ready
                if (e.getConditions() == null || e.getConditions().getReady() == null || e.getConditions().getReady()) {
                    c[1]++;
                }
            }
        }
    }

    private static Backends endpoints(Endpoints ep) {
        int total = 0;
        int ready = 0;
        if (ep.getSubsets() != null) {
            for (EndpointSubset s : ep.getSubsets()) {
                int r = s.getAddresses() == null ? 0 : s.getAddresses().size();
                ready += r;
                total += r + (s.getNotReadyAddresses() == null ? 0 : s.getNotReadyAddresses().size());
            }
        }
        return new Backends(total, ready, "Endpoints");
    }

    private static PodLabels pod(Pod p) {
        var st = p.getStatus();
        boolean ready = st != null && st.getConditions() != null && st.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return new PodLabels(p.getMetadata().getNamespace(), p.getMetadata().getName(),
                p.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(p.getMetadata().getLabels()),
                st == null ? null : st.getPhase(), ready, p.getMetadata().getDeletionTimestamp() != null,
                p.getSpec() != null && p.getSpec().getNodeName() != null);
    }

    private static void ingress(Ingress i, List<ServiceFacts.IngressBackend> out) {
        String ns = i.getMetadata().getNamespace();
        String name = i.getMetadata().getName();
        if (i.getSpec() == null) {
            return;
        }
        backend(ns, name, null, null, i.getSpec().getDefaultBackend(), out);
        if (i.getSpec().getRules() != null) {
            for (IngressRule r : i.getSpec().getRules()) {
                if (r.getHttp() != null && r.getHttp().getPaths() != null) {
                    for (HTTPIngressPath p : r.getHttp().getPaths()) {
                        backend(ns, name, r.getHost(), p.getPath(), p.getBackend(), out);
                    }
                }
            }
        }
    }

    private static void backend(String ns, String name, String host, String path, IngressBackend b,
            List<ServiceFacts.IngressBackend> out) {
        // a resource backend (another kind of object) has no Service to check
        if (b == null || b.getService() == null) {
            return;
        }
        var port = b.getService().getPort();
        out.add(new ServiceFacts.IngressBackend(ns, name, host, path, b.getService().getName(),
                port == null ? null : port.getNumber(), port == null ? null : port.getName()));
    }
}
