package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.ClusterCode.*;

import io.opsdoc.core.CheckCode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Redis Cluster as one node sees it: cluster_state, all 16384 slots assigned and served, failing nodes, masters
 * without a replica.
 */
public final class RedisCluster extends RedisCheck {
    public static final String ID = "redis-cluster";
    static final String NOTE = "redis/cluster";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("min-masters", io.opsdoc.core.ParameterType.INTEGER, "3",
                    "masters serving slots below which the cluster cannot lose one and still fail over"));

    private static final List<GrantSet> GRANTS = acl("INFO, CLUSTER INFO and CLUSTER NODES only read; CLIENT SETNAME "
            + "names the probe's connection. The check also opens (and closes at once) a TCP connection to every node's "
            + "client and cluster bus port, which needs no Redis permission but does need the network path.", "info", "cluster|info", "cluster|nodes", "client|setname");

    public RedisCluster() {
        super(ID, "Is this Redis Cluster serving all slots, with a replica behind every master?",
                PARAMETERS, ClusterCode.class, GRANTS);
    }

    @Override
    public RedisFacts collect(CheckContext context) throws Exception {
        return collect(context, new CollectRequest(false, 0, false, false, false, false, List.of(), true, true), null);
    }

    /**
     * {@code ip:port@cport[,hostname]} to {ip, port, cport}; null when there is no address ({@code :0@0}) or no bus
     * port.
     */
    static String[] hostPorts(String fullAddr) {
        String a = fullAddr.contains(",") ? fullAddr.substring(0, fullAddr.indexOf(',')) : fullAddr;
        int at = a.indexOf('@');
        int colon = a.lastIndexOf(':', at < 0 ? a.length() : at);
        if (at < 0 || colon <= 0) {
            return null;
        }
        String host = a.substring(0, colon);
        String port = a.substring(colon + 1, at);
        String bus = a.substring(at + 1);
        if (host.isEmpty() || "0".equals(port) || bus.isEmpty() || "0".equals(bus)) {
            return null;
        }
        return new String[] {host, port, bus};
    }

    /** One line of CLUSTER NODES. */
    record Node(String id, String addr, String fullAddr, List<String> flags, String masterId, String link, String slots) {
        boolean master() {
            return flags.contains("master");
        }

        boolean failing() {
            return flags.contains("fail") || flags.contains("fail?");
        }
    }

    static List<Node> nodes(String text) {
        List<Node> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\r?\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8) {
                continue;
            }
            StringBuilder slots = new StringBuilder();
            for (int i = 8; i < f.length; i++) {
                slots.append(i == 8 ? "" : " ").append(f[i]);
            }
            String addr = f[1].contains("@") ? f[1].substring(0, f[1].indexOf('@')) : f[1];
            out.add(new Node(f[0], addr, f[1], List.of(f[2].split(",")), f[3], f[7], slots.toString()));
        }
        return out;
    }

    @Override
    public void evaluate(RedisFacts f, Parameters p, Evaluation.Builder out) {
        Map<String, String> i = f.info();
        if (!"1".equals(i.get("cluster_enabled"))) {
            out.finding(NOT_A_CLUSTER, Severity.CRITICAL, "this server does not run in cluster mode (cluster_enabled:0); "
                    + "point the check at a cluster node", Evidence.of("cluster_enabled", i.getOrDefault("cluster_enabled", "absent")));
            return;
        }
        clusterState(i, out, CLUSTER_STATE_FAIL);
        long assigned = Info.longValue(i, "cluster_slots_assigned", 0);
        if (assigned < 16384) {
            out.finding(SLOTS_UNASSIGNED, Severity.CRITICAL, (16384 - assigned) + " of the 16384 hash slots belong to no "
                    + "node: keys hashing to them cannot be stored or read anywhere",
                    Evidence.of("cluster_slots_assigned", assigned, "unassigned", 16384 - assigned));
        }
        long failSlots = Info.longValue(i, "cluster_slots_fail", 0);
        long pfailSlots = Info.longValue(i, "cluster_slots_pfail", 0);
        if (failSlots > 0) {
            out.finding(SLOTS_FAIL, Severity.CRITICAL, failSlots + " slots are served by masters the cluster has marked "
                    + "failed, and no replica took them over", Evidence.of("cluster_slots_fail", failSlots,
                    "cluster_slots_pfail", pfailSlots, "cluster_slots_ok", i.get("cluster_slots_ok")));
        }
        List<Node> nodes = nodes(i.get("cluster_nodes"));
        List<Node> failing = nodes.stream().filter(Node::failing).toList();
        out.metric(Metric.of("cluster_known_nodes", nodes.size(), ""));
        if (!failing.isEmpty()) {
            String list = failing.stream().map(n -> n.addr() + " (" + String.join(",", n.flags()) + ")")
                    .collect(Collectors.joining(", "));
            out.finding(FAILED_NODES, Severity.WARNING, failing.size() + " node(s) are flagged failing: " + list,
                    Evidence.of("failing", list, "cluster_known_nodes", i.get("cluster_known_nodes")));
        }
        long masters = Info.longValue(i, "cluster_size", 0);
        long wanted = p.integer("min-masters");
        if (assigned > 0 && masters < wanted) {
            String list = nodes.stream().filter(n -> n.master() && !n.slots().isBlank())
                    .map(n -> n.addr() + " (" + n.slots() + ")").collect(Collectors.joining(", "));
            out.finding(TOO_FEW_MASTERS, Severity.WARNING, "only " + masters + " master(s) serve slots (at least " + wanted
                    + " wanted): failing a master over needs the votes of a majority of masters, so "
                    + (masters <= 1 ? "there is nobody to vote and no automatic failover at all"
                    : "losing one of " + masters + " leaves no majority and its replica is never promoted"),
                    Evidence.of("cluster_size", masters, "min_masters", wanted, "masters", list,
                            "cluster_known_nodes", i.get("cluster_known_nodes")));
        }
        if (f.reach() != null) {
            for (RedisFacts.NodeReach r : f.reach()) {
                if ("ok".equals(r.client()) && !"ok".equals(r.bus())) {
                    String addr = r.node().substring(0, r.node().indexOf('@'));
                    out.finding(BUS_PORT_UNREACHABLE, Severity.WARNING, "node " + addr + " answers on its client port but "
                            + "its cluster bus port " + r.node().substring(r.node().indexOf('@') + 1) + " is not reachable "
                            + "from the probe host (" + r.bus() + "): nodes that cannot reach it there mark it failing, "
                            + "and it cannot take part in failovers", Evidence.of("node", r.node(), "client_port", r.client(),
                            "bus_port", r.bus()), addr);
                }
            }
        }
        Map<String, Integer> replicasOf = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (!n.master() && !n.failing() && !"-".equals(n.masterId())) {
                replicasOf.merge(n.masterId(), 1, Integer::sum);
            }
        }
        for (Node n : nodes) {
            if (n.master() && !n.failing() && !n.slots().isBlank() && replicasOf.getOrDefault(n.id(), 0) == 0) {
                out.finding(MASTER_WITHOUT_REPLICA, Severity.WARNING, "master " + n.addr() + " (slots " + n.slots()
                        + ") has no working replica: if it fails, its slots go down and the cluster stops",
                        Evidence.of("master", n.addr(), "slots", n.slots(), "node_id", n.id()), n.addr());
            }
        }
    }

    /**
     * CLUSTER_STATE_FAIL, as the calling check's constant: redis-timeouts reports it too, where a failing cluster
     * explains timeouts and errors.
     */
    static void clusterState(Map<String, String> i, Evaluation.Builder out, CheckCode stateFail) {
        String state = i.get("cluster_state");
        if (state != null && !"ok".equals(state)) {
            out.finding(stateFail, Severity.CRITICAL, "cluster_state is " + state + ": this node refuses queries "
                    + "(CLUSTERDOWN) until every slot is served again", Evidence.of("cluster_state", state,
                    "cluster_slots_assigned", i.get("cluster_slots_assigned"), "cluster_slots_ok", i.get("cluster_slots_ok"),
                    "cluster_slots_fail", i.get("cluster_slots_fail"), "cluster_known_nodes", i.get("cluster_known_nodes"),
                    "cluster_size", i.get("cluster_size")));
        }
    }
}
