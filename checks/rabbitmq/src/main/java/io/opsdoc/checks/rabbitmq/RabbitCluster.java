package io.opsdoc.checks.rabbitmq;

import static io.opsdoc.checks.rabbitmq.ClusterCode.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Is every node of the cluster running, without a resource alarm, with file descriptors to spare, and can the node
 * asked be restarted without a quorum queue losing its majority?
 *
 * <p>Alarms come from {@code /api/health/checks/alarms}, which the node evaluates when asked and which covers every
 * node of the cluster; {@code /api/nodes}' {@code mem_alarm}/{@code disk_free_alarm} lag by a statistics interval and
 * are used only as a second source. ({@code local-alarms} is the same answer for the asked node alone, so it adds
 * nothing once the cluster-wide one is read.) The quorum-critical health check is about the node that answers: to
 * ask it of every node, run the check on each node's management port.
 */
public final class RabbitCluster extends ManagementCheck<ClusterFacts> {
    public static final String ID = "rabbitmq-cluster";
    static final String NOTE = "rabbitmq/cluster";
    private static final String NODE_COLUMNS = "name,running,type,partitions,mem_alarm,disk_free_alarm,mem_used,"
            + "mem_limit,disk_free,disk_free_limit,fd_used,fd_total,sockets_used,sockets_total,applications";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("expected-nodes", ParameterType.INTEGER, "0",
                    "nodes the cluster should have; 0 trusts the cluster's own list (a node removed with forget_cluster_node "
                            + "is then not missed)"),
            new ParameterSpec("fd-warning", ParameterType.PERCENT, "80%",
                    "file descriptors or sockets in use, as a share of the node's limit, worth a warning"),
            new ParameterSpec("fd-critical", ParameterType.PERCENT, "95%",
                    "share at which new connections are about to be refused"));

    public RabbitCluster() {
        super(ID, "Are all RabbitMQ nodes running and unpartitioned, free of memory and disk "
                + "alarms, within their file descriptor limits, and safe to restart?", ClusterFacts.class, PARAMETERS,
                ClusterCode.class, RabbitGrants.ALL);
    }



    @Override
    public ClusterFacts collect(CheckContext context) throws Exception {
        ManagementApi api = ManagementApi.open(context);
        Instant at = Instant.now();
        JsonNode overview = api.get("/api/overview?columns=node,rabbitmq_version,cluster_name,erlang_version");
        JsonNode nodes = api.get("/api/nodes?columns=" + NODE_COLUMNS);
        ManagementApi.Answer alarms = api.health("/api/health/checks/alarms");
        ManagementApi.Answer critical = api.health("/api/health/checks/node-is-quorum-critical");
        return new ClusterFacts(at, overview, nodes, alarms.status(), alarms.body(), critical.status(), critical.body());
    }

    @Override
    public void evaluate(ClusterFacts f, Parameters p, Evaluation.Builder out) {
        List<JsonNode> nodes = Api.items(f.nodes());
        String asked = Api.text(f.overview(), "node");
        List<String> running = new ArrayList<>();
        List<String> down = new ArrayList<>();
        for (JsonNode n : nodes) {
            (Api.flag(n, "running") ? running : down).add(Api.text(n, "name"));
        }
        out.metric(Metric.of("nodes_running", running.size(), "nodes"));
        out.metric(Metric.of("nodes_total", nodes.size(), "nodes"));
        nodesDown(nodes.size(), running, down, p.integer("expected-nodes"), out);
        partitions(nodes, out);
        versions(nodes, out);
        alarms(f, nodes, out);
        for (JsonNode n : nodes) {
            if (Api.flag(n, "running")) {
                descriptors(n, p, out);
            }
        }
        if (f.quorumCriticalStatus() == 503) {
            List<String> queues = new ArrayList<>();
            for (JsonNode q : Api.items(f.quorumCritical().get("queues"))) {
                queues.add(Api.text(q, "virtual_host").equals("/") ? "/" + Api.text(q, "name")
                        : Api.text(q, "virtual_host") + "/" + Api.text(q, "name"));
            }
            out.finding(QUORUM_CRITICAL, Severity.WARNING, "node " + asked + " is quorum-critical: stopping or "
                    + "restarting it now (an upgrade, a reboot) leaves " + queues.size() + " quorum queue(s) without a "
                    + "majority, unavailable until it returns: " + Api.some(queues, 5),
                    Evidence.of("node", asked, "queues", queues, "reason", Api.text(f.quorumCritical(), "reason")), asked);
        }
    }

    private static void nodesDown(int total, List<String> running, List<String> down, long expected, Evaluation.Builder out) {
        long missing = expected > total ? expected - total : 0;
        if (down.isEmpty() && missing == 0) {
            return;
        }
        long size = Math.max(total, expected);
        boolean majorityLost = running.size() <= size / 2;
        String summary = (down.isEmpty() ? "" : down.size() + " of " + total + " node(s) not running: "
                + String.join(", ", down))
                + (missing > 0 ? (down.isEmpty() ? "" : "; ") + "the cluster lists " + total + " node(s), " + expected
                        + " expected" : "")
                + (majorityLost ? " — a majority of the cluster is gone: quorum queues and streams cannot elect leaders"
                        : " — queues whose only copy lived there are unavailable and quorum queues run with fewer members");
        out.finding(NODE_DOWN, majorityLost ? Severity.CRITICAL : Severity.WARNING, summary,
                Evidence.of("down", down, "running", running, "nodes_listed", total, "expected_nodes", expected));
    }

    /**
     * Mnesia reports a partition once two nodes that lost each other reconnect; every node lists the nodes it was
     * separated from. One finding for the cluster, naming each node's view.
     */
    private static void partitions(List<JsonNode> nodes, Evaluation.Builder out) {
        Map<String, List<String>> views = new java.util.LinkedHashMap<>();
        for (JsonNode n : nodes) {
            List<String> other = Api.strings(n.get("partitions"));
            if (!other.isEmpty()) {
                views.put(Api.text(n, "name"), other);
            }
        }
        if (views.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        views.forEach((node, other) -> lines.add(node + " is partitioned from " + String.join(", ", other)));
        out.finding(NETWORK_PARTITION, Severity.CRITICAL, "network partition: " + String.join("; ", lines)
                + ". Both sides kept running and may have accepted different writes; it does not heal by itself "
                + "(partition_handling ignore): restart the nodes of the side to discard",
                Evidence.of("partitions", views));
    }

    /** The version of the {@code rabbit} application each running node lists under {@code applications}. */
    private static void versions(List<JsonNode> nodes, Evaluation.Builder out) {
        Map<String, String> byNode = new java.util.TreeMap<>();
        for (JsonNode n : nodes) {
            for (JsonNode app : Api.items(n.get("applications"))) {
                if ("rabbit".equals(Api.text(app, "name"))) {
                    byNode.put(Api.text(n, "name"), Api.text(app, "version"));
                }
            }
        }
        Set<String> distinct = new java.util.TreeSet<>(byNode.values());
        if (distinct.size() < 2) {
            return;
        }
        out.finding(VERSION_SKEW, Severity.WARNING, "the nodes run " + distinct.size() + " RabbitMQ versions ("
                + String.join(", ", distinct) + "): " + byNode + "; finish the rolling upgrade (feature flags stay at the "
                + "oldest node's level until every node is upgraded and they are enabled)",
                Evidence.of("versions", byNode));
    }

    private static void alarms(ClusterFacts f, List<JsonNode> nodes, Evaluation.Builder out) {
        Set<String> memory = new LinkedHashSet<>();
        Set<String> disk = new LinkedHashSet<>();
        for (JsonNode a : Api.items(f.alarms() == null ? null : f.alarms().get("alarms"))) {
            String resource = Api.text(a, "resource");
            (resource.startsWith("disk") ? disk : memory).add(Api.text(a, "node"));
        }
        for (JsonNode n : nodes) {
            if (Api.flag(n, "mem_alarm")) {
                memory.add(Api.text(n, "name"));
            }
            if (Api.flag(n, "disk_free_alarm")) {
                disk.add(Api.text(n, "name"));
            }
        }
        for (String node : memory) {
            JsonNode n = node(nodes, node);
            out.finding(MEMORY_ALARM, Severity.CRITICAL, "memory alarm on " + node + ": it uses "
                    + mib(Api.number(n, "mem_used")) + " against a high watermark of " + mib(Api.number(n, "mem_limit"))
                    + "; every publishing connection in the cluster is blocked until memory falls below it",
                    Evidence.of("node", node, "resource", "memory", "mem_used", Api.number(n, "mem_used"),
                            "mem_limit", Api.number(n, "mem_limit"), "health_check_status", f.alarmsStatus()), node);
        }
        for (String node : disk) {
            JsonNode n = node(nodes, node);
            out.finding(DISK_ALARM, Severity.CRITICAL, "disk alarm on " + node + ": " + mib(Api.number(n, "disk_free"))
                    + " free against a limit of " + mib(Api.number(n, "disk_free_limit"))
                    + "; every publishing connection in the cluster is blocked until disk is freed",
                    Evidence.of("node", node, "resource", "disk space", "disk_free", Api.number(n, "disk_free"),
                            "disk_free_limit", Api.number(n, "disk_free_limit"), "health_check_status", f.alarmsStatus()),
                    node);
        }
    }

    private static void descriptors(JsonNode n, Parameters p, Evaluation.Builder out) {
        String name = Api.text(n, "name");
        long fdUsed = Api.number(n, "fd_used");
        long fdTotal = Api.number(n, "fd_total");
        long sockUsed = Api.number(n, "sockets_used");
        long sockTotal = Api.number(n, "sockets_total");
        double fd = fdTotal > 0 ? 100.0 * fdUsed / fdTotal : 0;
        double sockets = sockTotal > 0 ? 100.0 * sockUsed / sockTotal : 0;
        out.metric(new Metric("fd_used_percent", Api.round1(fd), "%", Map.of("node", name), p.percent("fd-warning"),
                p.percent("fd-critical")));
        double worst = Math.max(fd, sockets);
        if (worst < p.percent("fd-warning")) {
            return;
        }
        boolean bySockets = sockets >= fd;
        String what = bySockets ? sockUsed + " of " + sockTotal + " sockets (" + Api.round1(sockets) + "%)"
                : fdUsed + " of " + fdTotal + " file descriptors (" + Api.round1(fd) + "%)";
        Severity s = worst >= p.percent("fd-critical") ? Severity.CRITICAL : Severity.WARNING;
        out.finding(FD_NEAR_LIMIT, s, name + " uses " + what + "; at the limit it refuses new client connections "
                + "(raise the open-files limit, or find the client leaking connections)",
                Evidence.of("node", name, "fd_used", fdUsed, "fd_total", fdTotal, "sockets_used", sockUsed,
                        "sockets_total", sockTotal, "used_percent", Api.round1(worst),
                        "threshold_percent", s == Severity.CRITICAL ? p.percent("fd-critical") : p.percent("fd-warning")),
                name);
    }

    private static JsonNode node(List<JsonNode> nodes, String name) {
        return nodes.stream().filter(n -> Api.text(n, "name").equals(name)).findFirst().orElse(null);
    }

    private static String mib(long bytes) {
        return bytes >= 1L << 30 ? Api.round1(bytes / (double) (1L << 30)) + " GiB"
                : Api.round1(bytes / (double) (1L << 20)) + " MiB";
    }
}
