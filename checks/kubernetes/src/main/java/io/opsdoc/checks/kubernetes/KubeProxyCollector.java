package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.opsdoc.checks.kubernetes.KubeProxyFacts.Healthz;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.ProbeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The I/O half of {@link KubeProxyHealth}: GET DaemonSet and ConfigMap kube-system/kube-proxy, list its pods and the
 * nodes, then GET /healthz on each node's InternalIP, at most {@value #PARALLEL} at a time and {@value #MAX_NODES}
 * nodes in all, each bounded by healthz-timeout and the check's deadline.
 */
final class KubeProxyCollector {
    static final String NAMESPACE = "kube-system";
    static final String NAME = "kube-proxy";
    static final int PARALLEL = 8;
    static final int MAX_NODES = 200;
    private static final Pattern MODE = Pattern.compile("(?m)^mode:\\s*[\"']?([A-Za-z]*)[\"']?\\s*$");

    private KubeProxyCollector() {
    }

    static KubeProxyFacts collect(CheckContext context) throws Exception {
        Map<String, String> addresses = new LinkedHashMap<>();
        DaemonSetState state;
        String mode = null;
        String node = context.parameters().string("node").strip();
        List<KubeProxyFacts.ServicePort> ports = null;
        int[] ipv6Skipped = {0};
        try (KubeSession session = KubeSession.open(context, KubeProxyHealth.ID)) {
            DaemonSet ds = session.call("get daemonset " + NAMESPACE + "/" + NAME,
                    () -> session.client().apps().daemonSets().inNamespace(NAMESPACE).withName(NAME).get());
            state = ds == null ? null : DaemonSetReader.read(session, ds);
            ConfigMap cm = session.call("get configmap " + NAMESPACE + "/" + NAME,
                    () -> session.client().configMaps().inNamespace(NAMESPACE).withName(NAME).get());
            if (cm != null && cm.getData() != null && cm.getData().get("config.conf") != null) {
                Matcher m = MODE.matcher(cm.getData().get("config.conf"));
                mode = m.find() ? m.group(1) : "";
            }
            session.call("list nodes", () -> {
                KubeSession.<NodeList, Node>pages(t -> session.client().nodes().list(KubeSession.page(t)), NodeList::getItems,
                        l -> l.getMetadata().getContinue(), n -> addresses.put(n.getMetadata().getName(), internalIp(n)));
                return null;
            });
            if (!node.isEmpty() && state != null && iptablesMode(mode)) {
                List<io.fabric8.kubernetes.api.model.Service> services = new ArrayList<>();
                List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice> slices = new ArrayList<>();
                KubeLists.each(session, "services", session.client().services(), "", services::add);
                KubeLists.each(session, "endpointslices", session.client().discovery().v1().endpointSlices(), "",
                        slices::add);
                ports = servicePorts(services, slices, ipv6Skipped);
            }
        }
        KubeProxyFacts.NodeRules rules = null;
        if (!node.isEmpty() && state != null) {
            rules = ports != null ? ServiceRules.read(context, node, ports, ipv6Skipped[0])
                    : new KubeProxyFacts.NodeRules(node, List.of(), List.of(), 0, "kube-proxy runs in mode " + mode
                            + ": its Service rules are not in iptables' nat table (ipvs: ipvsadm -Ln or "
                            + "/proc/net/ip_vs; nftables: nft list table ip kube-proxy), which this check does not read");
        }
        List<Healthz> healthz = new ArrayList<>();
        int withoutAddress = (int) addresses.values().stream().filter(a -> a == null).count();
        if (state != null && context.parameters().bool("healthz")) {
            healthz = healthz(context, addresses);
        }
        return new KubeProxyFacts(Instant.now(), state, mode, List.copyOf(addresses.keySet()), healthz, withoutAddress,
                rules);
    }

    /** The ConfigMap's mode: "" or absent means iptables on Linux (the default); null: no ConfigMap, assume it. */
    static boolean iptablesMode(String mode) {
        return mode == null || mode.isEmpty() || mode.equals("iptables");
    }

    /** The ports to look for, from the Services and EndpointSlices of the whole cluster. */
    static List<KubeProxyFacts.ServicePort> servicePorts(List<io.fabric8.kubernetes.api.model.Service> services,
            List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice> slices,
            int[] ipv6Skipped) {
        // usable endpoints per "ns/service" and port name: a slice's endpoints serve the ports the slice lists
        Map<String, java.util.Set<String>> usable = new java.util.HashMap<>();
        for (io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice s : slices) {
            String svc = s.getMetadata().getLabels() == null ? null
                    : s.getMetadata().getLabels().get(ServiceCollector.SERVICE_NAME_LABEL);
            if (svc == null || s.getPorts() == null || s.getEndpoints() == null
                    || s.getEndpoints().stream().noneMatch(KubeProxyCollector::usable)) {
                continue;
            }
            for (io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort p : s.getPorts()) {
                usable.computeIfAbsent(s.getMetadata().getNamespace() + "/" + svc, k -> new java.util.HashSet<>())
                        .add(p.getName() == null ? "" : p.getName());
            }
        }
        List<KubeProxyFacts.ServicePort> out = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Service s : services) {
            var spec = s.getSpec();
            if (spec == null || "ExternalName".equals(spec.getType()) || spec.getPorts() == null) {
                continue;
            }
            String key = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
            List<String> ips = spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty() ? spec.getClusterIPs()
                    : spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
            for (String ip : ips) {
                if (ip == null || ip.isEmpty() || ip.equals("None")) {
                    continue; // headless: DNS only, kube-proxy writes nothing
                }
                if (ip.contains(":")) {
                    ipv6Skipped[0] += spec.getPorts().size(); // in ip6tables, not read here
                    continue;
                }
                for (io.fabric8.kubernetes.api.model.ServicePort p : spec.getPorts()) {
                    String name = p.getName() == null ? "" : p.getName();
                    String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
                    out.add(new KubeProxyFacts.ServicePort(key, name, ip, p.getPort() == null ? 0 : p.getPort(), proto,
                            usable.getOrDefault(key, java.util.Set.of()).contains(name)));
                }
            }
        }
        return out;
    }

    /** kube-proxy's rule: ready, or (since ProxyTerminatingEndpoints) serving while terminating; nil ready = ready. */
    private static boolean usable(io.fabric8.kubernetes.api.model.discovery.v1.Endpoint e) {
        var c = e.getConditions();
        if (c == null || c.getReady() == null || c.getReady()) {
            return true;
        }
        return Boolean.TRUE.equals(c.getServing()) && Boolean.TRUE.equals(c.getTerminating());
    }

    private static String internalIp(Node n) {
        if (n.getStatus() == null || n.getStatus().getAddresses() == null) {
            return null;
        }
        return n.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType())).map(NodeAddress::getAddress)
                .findFirst().orElse(null);
    }

    private static List<Healthz> healthz(CheckContext context, Map<String, String> addresses) {
        long port = context.parameters().integer("healthz-port");
        Duration timeout = context.parameters().duration("healthz-timeout");
        List<Map.Entry<String, String>> targets = addresses.entrySet().stream().filter(e -> e.getValue() != null)
                .limit(MAX_NODES).toList();
        List<Healthz> out = new ArrayList<>();
        if (targets.isEmpty()) {
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, targets.size()), r -> {
            Thread t = new Thread(r, "opsdoc-kube-proxy-healthz");
            t.setDaemon(true);
            return t;
        });
        try {
            Duration perCall = min(timeout, context.remaining());
            HttpClient http = HttpClient.newBuilder().connectTimeout(perCall.isZero() ? Duration.ofMillis(1) : perCall)
                    .build();
            List<Future<Healthz>> futures = new ArrayList<>();
            for (Map.Entry<String, String> e : targets) {
                futures.add(pool.submit(() -> one(http, e.getKey(), e.getValue(), port, context, timeout)));
            }
            for (int i = 0; i < futures.size(); i++) {
                String node = targets.get(i).getKey();
                String address = targets.get(i).getValue();
                try {
                    out.add(futures.get(i).get(Math.max(1, context.remainingMillis()), TimeUnit.MILLISECONDS));
                } catch (java.util.concurrent.TimeoutException e) {
                    out.add(new Healthz(node, address, 0, null, null, null, "no answer before the check's deadline"));
                } catch (java.util.concurrent.ExecutionException e) {
                    out.add(new Healthz(node, address, 0, null, null, null, FailureClassifier.oneLine(e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private static Healthz one(HttpClient http, String node, String address, long port, CheckContext context, Duration timeout) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        Duration limit = min(timeout, context.remaining());
        if (limit.isZero() || limit.isNegative()) {
            return new Healthz(node, address, 0, null, null, null, "no time left before the check's deadline");
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/healthz"))
                    .timeout(limit).GET().build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = r.body() == null ? "" : r.body();
            if (body.length() > 4096) {
                body = body.substring(0, 4096);
            }
            return new Healthz(node, address, r.statusCode(), field(body, "lastUpdated"), field(body, "currentTime"),
                    body.contains("\"nodeEligible\"") ? Boolean.valueOf(field(body, "nodeEligible")) : null, null);
        } catch (java.net.http.HttpTimeoutException e) {
            return new Healthz(node, address, 0, null, null, null, "timed out after " + limit.toMillis() + " ms");
        } catch (java.io.IOException e) {
            return new Healthz(node, address, 0, null, null, null, FailureClassifier.oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Healthz(node, address, 0, null, null, null, "interrupted");
        }
    }

    /** A string or bare value of kube-proxy's one-line JSON answer. */
    static String field(String body, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(?:\"([^\"]*)\"|([A-Za-z0-9.]+))").matcher(body);
        if (!m.find()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    private static Duration min(Duration a, Duration b) {
        Duration m = a.compareTo(b) <= 0 ? a : b;
        return m.isNegative() ? Duration.ZERO : m;
    }
}
