package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.ServiceCode.*;

import io.opsdoc.checks.kubernetes.ServiceFacts.Backends;
import io.opsdoc.checks.kubernetes.ServiceFacts.IngressBackend;
import io.opsdoc.checks.kubernetes.ServiceFacts.PodLabels;
import io.opsdoc.checks.kubernetes.ServiceFacts.Svc;
import io.opsdoc.checks.kubernetes.ServiceFacts.SvcPort;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Does every Service have somewhere to send traffic? A Service with a selector whose pods are none of them ready
 * endpoints (the Service is down: connections are refused or time out, the ingress answers 503), a selector that
 * matches no pod at all (a label typo, or the workload is gone), and Ingress paths naming a Service or a port that
 * does not exist. Endpoints are read from EndpointSlices ({@code conditions.ready}), or from the Endpoints object
 * where a Service has no slice.
 */
public final class ServiceEndpoints extends DescribedCheck<ServiceFacts> {
    public static final String ID = "k8s-service-endpoints";
    static final String NOTE = "kubernetes/service-endpoints";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("namespace", ParameterType.STRING, "", "look at this namespace only; empty = all namespaces"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.clusterRole(ID,
            "Lists Services, Endpoints, pods (for their labels), EndpointSlices and Ingresses.",
            new KubeGrants.Rule("", List.of("services", "endpoints", "pods")),
            new KubeGrants.Rule("discovery.k8s.io", List.of("endpointslices")),
            new KubeGrants.Rule("networking.k8s.io", List.of("ingresses"))));

    public ServiceEndpoints() {
        super(ID, KubeTarget.SCHEME, "Does every Kubernetes Service have a ready endpoint, and every Ingress backend a Service?",
                ServiceFacts.class, PARAMETERS, ServiceCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public ServiceFacts collect(CheckContext context) throws Exception {
        return ServiceCollector.collect(context);
    }

    @Override
    public void evaluate(ServiceFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, List<PodLabels>> podsByNamespace = new HashMap<>();
        facts.pods().forEach(x -> podsByNamespace.computeIfAbsent(x.namespace(), k -> new ArrayList<>()).add(x));
        Map<String, Svc> services = new HashMap<>();
        facts.services().forEach(s -> services.put(s.key(), s));
        Map<String, List<String>> routedBy = new HashMap<>();
        for (IngressBackend b : facts.ingressBackends()) {
            routedBy.computeIfAbsent(b.namespace() + "/" + b.service(), k -> new ArrayList<>())
                    .add("Ingress " + b.namespace() + "/" + b.ingress() + " (" + b.route() + ")");
        }
        int selected = 0;
        int down = 0;
        for (Svc s : facts.services()) {
            if (s.selector().isEmpty() || "ExternalName".equals(s.type())) {
                continue;
            }
            selected++;
            Backends b = facts.backends().get(s.key());
            if (b != null && b.ready() > 0) {
                continue;
            }
            down++;
            List<PodLabels> matching = podsByNamespace.getOrDefault(s.namespace(), List.of()).stream()
                    .filter(x -> !"Succeeded".equals(x.phase()) && !"Failed".equals(x.phase()))
                    .filter(x -> s.selector().entrySet().stream().allMatch(e -> e.getValue().equals(x.labels().get(e.getKey()))))
                    .toList();
            String selector = selector(s.selector());
            List<String> routes = routedBy.getOrDefault(s.key(), List.of());
            String routed = routes.isEmpty() ? "" : "; routed to by " + String.join(", ", routes);
            Evidence e = Evidence.of("selector", selector, "pods_matching", matching.size(),
                    "endpoints", b == null ? 0 : b.total(), "endpoints_ready", 0, "source", b == null ? "none" : b.source());
            if (!routes.isEmpty()) {
                e.put("ingress", String.join(", ", routes));
            }
            if (matching.isEmpty()) {
                out.finding(SELECTOR_MATCHES_NO_POD, Severity.WARNING, "Service " + s.key() + " selects " + selector
                        + " but no pod in namespace " + s.namespace() + " has those labels, so it has no endpoint and "
                        + "every connection to it fails" + routed + ". Compare with the pods' labels: kubectl get pods -n "
                        + s.namespace() + " --show-labels; a typo in the selector or the labels, or the workload was "
                        + "deleted or scaled to 0", e, s.key());
            } else {
                String states = states(matching);
                e.put("pods", states);
                out.finding(SERVICE_WITHOUT_ENDPOINTS, Severity.CRITICAL, "Service " + s.key() + " has no ready endpoint: "
                        + matching.size() + (matching.size() == 1 ? " pod matches" : " pods match") + " its selector "
                        + selector + " and none is ready (" + states + "), so connections to it fail and an ingress "
                        + "answers 503" + routed + ". Find why the pods are not Ready: kubectl describe pod -n "
                        + s.namespace() + " -l " + selector.replace(", ", ","), e, s.key());
            }
        }
        int missing = ingress(facts.ingressBackends(), services, out);
        out.metric(Metric.of("services_with_selector", selected, ""));
        out.metric(Metric.of("services_without_ready_endpoints", down, ""));
        out.metric(Metric.of("ingress_backends_missing", missing, ""));
    }

    private static String selector(Map<String, String> selector) {
        return new TreeMap<>(selector).entrySet().stream().map(x -> x.getKey() + "=" + x.getValue())
                .collect(Collectors.joining(", "));
    }

    /** "3 not Ready", "1 Pending (not scheduled), 1 Terminating". */
    private static String states(List<PodLabels> pods) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (PodLabels x : pods) {
            String state = x.terminating() ? "Terminating" : !x.scheduled() ? "Pending (not scheduled)"
                    : "Pending".equals(x.phase()) ? "Pending" : x.ready() ? "Ready" : "not Ready";
            counts.merge(state, 1, Integer::sum);
        }
        return counts.entrySet().stream().map(x -> x.getValue() + " " + x.getKey()).collect(Collectors.joining(", "));
    }

    /** @return the number of backends naming a missing Service or port */
    private static int ingress(List<IngressBackend> backends, Map<String, Svc> services, Evaluation.Builder out) {
        Map<String, List<String>> problems = new TreeMap<>();
        int missing = 0;
        for (IngressBackend b : backends) {
            Svc s = services.get(b.namespace() + "/" + b.service());
            String port = b.portNumber() != null ? String.valueOf(b.portNumber()) : b.portName();
            String problem = null;
            if (s == null) {
                problem = b.route() + " -> Service " + b.service() + " does not exist";
            } else if (port != null && s.ports().stream().noneMatch(x -> b.portNumber() != null
                    ? x.port() == b.portNumber() : b.portName().equals(x.name()))) {
                problem = b.route() + " -> Service " + b.service() + " has no port " + (b.portNumber() != null ? port
                        : "named " + port) + " (it has " + s.ports().stream().map(ServiceEndpoints::describe)
                                .collect(Collectors.joining(", ")) + ")";
            }
            if (problem != null) {
                missing++;
                problems.computeIfAbsent(b.namespace() + "/" + b.ingress(), k -> new ArrayList<>()).add(problem);
            }
        }
        problems.forEach((ingress, list) -> out.finding(INGRESS_BACKEND_MISSING, Severity.WARNING, "Ingress " + ingress
                + " routes to a backend that does not exist: " + String.join("; ", list) + ". The ingress controller "
                + "answers 503 (or 404) on these routes; fix the Service name or port in the Ingress, or create the Service",
                Evidence.of("backends", String.join("; ", list), "count", list.size()), ingress));
        return missing;
    }

    private static String describe(SvcPort p) {
        return p.port() + (p.name() == null || p.name().isEmpty() ? "" : "/" + p.name());
    }
}
