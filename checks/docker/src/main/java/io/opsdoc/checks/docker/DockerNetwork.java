package io.opsdoc.checks.docker;

import static io.opsdoc.checks.docker.NetworkCode.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's networks against the host they run on: bridge subnets that overlap a route of the host (the office LAN,
 * a VPN) or use public addresses, IPv4 forwarding off while bridge networks exist, inter-container communication
 * switched off, networks nobody uses. The routing table is that of dockerd's own network namespace
 * ({@code /proc/PID/net/route}, PID from its pid file), read only when the daemon runs on this host.
 */
public final class DockerNetwork extends EngineCheck<NetworkFacts> {
    public static final String ID = "docker-network";
    static final String NOTE = "docker/networking";
    /** Networks Docker itself creates: never "unused", whatever is attached. */
    private static final Set<String> PREDEFINED = Set.of("bridge", "host", "none", "ingress", "docker_gwbridge");
    private static final int MAX_LISTED = 20;

    private static final List<ParameterSpec> PARAMETERS = List.of(new ParameterSpec("pid-file", ParameterType.STRING,
            "/var/run/docker.pid", "dockerd's pid file (its --pidfile): the routes are read from that process's "
                    + "network namespace; when absent, from opsdoc's own"));

    public DockerNetwork() {
        super(ID, "Do Docker's bridge networks clash with the host's routes or public addresses, is IP forwarding on, "
                + "is inter-container traffic allowed?", NetworkFacts.class, PARAMETERS, NetworkCode.class, networkGrants());
    }

    private static List<GrantSet> networkGrants() {
        List<GrantSet> g = new ArrayList<>(DockerGrants.of(List.of("GET /info", "GET /networks",
                "GET /containers/json?all=1")));
        g.add(new GrantSet("on the Docker host (any user)", List.of("read /var/run/docker.pid",
                "read /proc/PID/net/route"), "the routing table of dockerd's network namespace, for the overlap "
                        + "test; skipped when the daemon answers from another host"));
        return g;
    }

    @Override
    public NetworkFacts collect(CheckContext context) throws Exception {
        JsonNode info = EngineClient.json(context, "/info");
        JsonNode networks = EngineClient.json(context, "/networks");
        JsonNode containers = EngineClient.json(context, "/containers/json?all=1");
        // /networks leaves out the attached containers (API 1.28+): one container listing instead of a GET per network
        Map<String, List<String>> attached = new HashMap<>();
        for (JsonNode c : containers) {
            String name = c.path("Names").path(0).asText(c.path("Id").asText()).replaceFirst("^/", "");
            c.path("NetworkSettings").path("Networks").forEach(n ->
                    attached.computeIfAbsent(n.path("NetworkID").asText(), k -> new ArrayList<>()).add(name));
        }
        List<NetworkFacts.Net> nets = new ArrayList<>();
        for (JsonNode n : networks) {
            String id = n.path("Id").asText();
            String name = n.path("Name").asText();
            String driver = n.path("Driver").asText();
            List<String> subnets = new ArrayList<>();
            n.path("IPAM").path("Config").forEach(c -> {
                if (c.hasNonNull("Subnet")) {
                    subnets.add(c.get("Subnet").asText());
                }
            });
            JsonNode options = n.path("Options");
            String bridge = null;
            if (driver.equals("bridge")) {
                bridge = options.path("com.docker.network.bridge.name").asText(
                        name.equals("bridge") ? "docker0" : "br-" + id.substring(0, Math.min(12, id.length())));
            }
            Boolean icc = options.has("com.docker.network.bridge.enable_icc")
                    ? Boolean.valueOf(options.get("com.docker.network.bridge.enable_icc").asText().trim()) : null;
            nets.add(new NetworkFacts.Net(id, name, driver, n.path("Internal").asBoolean(), subnets, bridge, icc,
                    attached.getOrDefault(id, List.of())));
        }
        String daemonHost = info.path("Name").asText(null);
        List<NetworkFacts.Route> routes = null;
        String from;
        if (!LocalDaemon.isThisHost(daemonHost)) {
            from = "not read: dockerd answers as host '" + daemonHost + "', this is '" + LocalDaemon.hostname()
                    + "'; run the check on the Docker host to compare with its routes";
        } else {
            Path table = Path.of("/proc/self/net/route");
            from = table + " (opsdoc's network namespace: no readable pid file " + context.parameters().string("pid-file") + ")";
            try {
                String pid = Files.readString(Path.of(context.parameters().string("pid-file"))).strip();
                Path own = Path.of("/proc", pid, "net", "route");
                if (pid.matches("\\d+") && Files.isReadable(own)) {
                    table = own;
                    from = own + " (dockerd's network namespace)";
                }
            } catch (IOException e) {
                // no pid file: dockerd shares opsdoc's namespace in the usual set-up, and the evidence says which was read
            }
            routes = routes(table);
        }
        Boolean forwarding = info.hasNonNull("IPv4Forwarding") ? info.get("IPv4Forwarding").asBoolean() : null;
        return new NetworkFacts(EngineEndpoint.of(context.target()).where(), daemonHost, forwarding, nets, routes, from);
    }

    static List<NetworkFacts.Route> routes(Path table) throws IOException {
        List<NetworkFacts.Route> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            // Flags: RTF_UP (1) must be set; a route that is down does not steer traffic
            if ((Integer.parseInt(f[3], 16) & 1) == 0) {
                continue;
            }
            out.add(new NetworkFacts.Route(f[0], Ipv4Net.fromProcRoute(f[1], f[7]).toString(),
                    Ipv4Net.fromProcAddress(f[2])));
        }
        return out;
    }

    @Override
    public void evaluate(NetworkFacts f, Parameters p, Evaluation.Builder out) {
        List<NetworkFacts.Net> bridges = f.networks().stream().filter(n -> n.bridge() != null).toList();
        out.metric(Metric.of("docker_networks", f.networks().size(), ""));
        out.metric(Metric.of("docker_bridge_networks", bridges.size(), ""));
        if (f.routes() != null) {
            out.metric(Metric.of("docker_host_routes", f.routes().size(), ""));
            overlaps(f, bridges, out);
        }
        for (NetworkFacts.Net n : bridges) {
            for (String s : n.subnets()) {
                Ipv4Net net = Ipv4Net.parse(s);
                if (net != null && !net.isPrivate()) {
                    out.finding(SUBNET_NOT_PRIVATE, Severity.WARNING, "network " + n.name() + " uses " + s
                            + ", public address space (not 10/8, 172.16/12 or 192.168/16): its containers and this host "
                            + "can no longer reach the real hosts with those addresses", Evidence.of("network", n.name(),
                                    "subnet", s, "bridge", n.bridge()), n.name());
                }
            }
        }
        List<NetworkFacts.Net> forwarded = bridges.stream().filter(n -> !n.internal()).toList();
        if (Boolean.FALSE.equals(f.ipv4Forwarding()) && !forwarded.isEmpty()) {
            List<String> used = forwarded.stream().filter(n -> !n.containers().isEmpty()).map(NetworkFacts.Net::name).toList();
            out.finding(IP_FORWARD_DISABLED, used.isEmpty() ? Severity.WARNING : Severity.CRITICAL, "dockerd sees "
                    + "net.ipv4.ip_forward=0 while " + forwarded.size() + " bridge network(s) exist ("
                    + names(forwarded) + "): their containers cannot reach anything beyond this host, and published "
                    + "ports do not answer from other hosts" + (used.isEmpty() ? "" : "; containers attached on "
                            + String.join(", ", used)), Evidence.of("ipv4_forwarding", false, "bridge_networks",
                                    forwarded.stream().map(NetworkFacts.Net::name).toList(), "networks_with_containers", used));
        }
        List<NetworkFacts.Net> noIcc = bridges.stream().filter(n -> Boolean.FALSE.equals(n.icc())).toList();
        if (!noIcc.isEmpty()) {
            out.finding(ICC_DISABLED, Severity.INFO, "inter-container communication is off on " + names(noIcc)
                    + " (enable_icc=false): containers on the same network cannot reach each other, only published "
                    + "ports", Evidence.of("networks", noIcc.stream().map(NetworkFacts.Net::name).toList()));
        }
        List<NetworkFacts.Net> unused = f.networks().stream()
                .filter(n -> !PREDEFINED.contains(n.name()) && n.containers().isEmpty()).toList();
        if (!unused.isEmpty()) {
            out.finding(NETWORKS_UNUSED, Severity.INFO, unused.size() + " user-defined network(s) with no container "
                    + "attached: " + names(unused) + " (docker network prune removes them, after checking that no "
                    + "stopped compose project still needs them)", Evidence.of("count", unused.size(), "networks",
                            unused.stream().map(NetworkFacts.Net::name).limit(MAX_LISTED).toList()));
        }
    }

    private static void overlaps(NetworkFacts f, List<NetworkFacts.Net> bridges, Evaluation.Builder out) {
        Set<String> dockerBridges = new java.util.HashSet<>();
        bridges.forEach(b -> dockerBridges.add(b.bridge()));
        int reported = 0;
        for (NetworkFacts.Net n : bridges) {
            for (String s : n.subnets()) {
                Ipv4Net subnet = Ipv4Net.parse(s);
                if (subnet == null) {
                    continue;
                }
                for (NetworkFacts.Route r : f.routes()) {
                    Ipv4Net dest = Ipv4Net.parse(r.destination());
                    // the default route overlaps everything by design; Docker's own bridges carry their own subnets
                    if (dest == null || dest.prefix() == 0 || dockerBridges.contains(r.iface()) || !dest.overlaps(subnet)
                            || reported++ >= MAX_LISTED) {
                        continue;
                    }
                    boolean shadows = dest.contains(subnet);
                    String via = r.gateway().equals("0.0.0.0") ? "on " + r.iface() : "via " + r.gateway() + " on " + r.iface();
                    out.finding(BRIDGE_SUBNET_OVERLAP, shadows ? Severity.CRITICAL : Severity.WARNING, "network "
                            + n.name() + " (" + s + ", bridge " + n.bridge() + ") overlaps the route " + dest + " " + via
                            + (shadows ? ": this host now sends traffic for " + s + " into the bridge, so the hosts of "
                                    + dest + " in that range are unreachable from it and from every container"
                                    : ": containers on " + n.name() + " treat " + dest + " as local and cannot reach "
                                            + "those hosts"),
                            Evidence.of("network", n.name(), "subnet", s, "bridge", n.bridge(), "route", dest.toString(),
                                    "route_interface", r.iface(), "route_gateway", r.gateway(), "shadows_route", shadows,
                                    "routes_from", f.routesFrom()), n.name());
                }
            }
        }
    }

    private static String names(List<NetworkFacts.Net> nets) {
        List<String> n = nets.stream().map(NetworkFacts.Net::name).limit(MAX_LISTED).toList();
        return String.join(", ", n) + (nets.size() > n.size() ? ", …" : "");
    }
}
