package io.opsdoc.lab.redis;

import io.opsdoc.lab.Ports;
import io.opsdoc.lab.redis.RedisWire.Cmd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * A Redis Cluster of three masters (slots 0-5460, 5461-10922, 10923-16383) with one replica each, started on first
 * use (about 2-4 s), and while a fault needs it a second, separate cluster of only two masters. A fault marks the
 * cluster dirty; healing forms it again from fresh nodes and removes the small one.
 */
public final class ClusterGroup {
    private static final Logger log = LoggerFactory.getLogger(ClusterGroup.class);
    private static final int NODES = 6;
    private static final List<String> NODE_ARGS = List.of("--cluster-enabled", "yes", "--cluster-config-file",
            "nodes.conf", "--cluster-node-timeout", "1000", "--save", "", "--appendonly", "no", "--maxmemory", "64mb",
            "--repl-diskless-sync-delay", "0");

    private final RedisServers servers;
    private final List<LabRedisServer> nodes = new ArrayList<>();
    private final List<LabRedisServer> small = new ArrayList<>();
    private boolean dirty;

    ClusterGroup(RedisServers servers) {
        this.servers = servers;
    }

    /** Starts the cluster if it is not running yet. */
    public synchronized void start() {
        if (!nodes.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < NODES; i++) {
            List<String> args = new ArrayList<>(NODE_ARGS);
            args.addAll(List.of("--masteruser", RedisServers.ADMIN_USER, "--masterauth", servers.adminPassword));
            nodes.add(servers.server("cluster-" + (i + 1), RedisServers.clusterPort(), args));
        }
        form();
        log.info("Redis Cluster up in {} ms: nodes {}", (System.nanoTime() - t0) / 1_000_000,
                nodes.stream().map(n -> ":" + n.port()).toList());
    }

    private void form() {
        for (LabRedisServer n : nodes) {
            servers.start(n);
        }
        meetAndAssign(nodes, new int[][] {{0, 5460}, {5461, 10922}, {10923, 16383}});
        await(nodes, "all 6 nodes known", i -> "6".equals(i.get("cluster_known_nodes")));
        for (int m = 0; m < 3; m++) {
            String masterId = nodeId(m);
            LabRedisServer replica = nodes.get(m + 3);
            RedisServers.await("node " + replica.port() + " knows its master", () -> clusterNodes(replica)
                    .contains(masterId));
            try (Jedis j = replica.admin()) {
                j.sendCommand(Cmd.CLUSTER, "REPLICATE", masterId);
            }
        }
        await(nodes, "cluster_state:ok with 3 masters", i -> "ok".equals(i.get("cluster_state"))
                && "16384".equals(i.get("cluster_slots_ok")) && "3".equals(i.get("cluster_size")));
        for (int m = 3; m < NODES; m++) {
            LabRedisServer replica = nodes.get(m);
            RedisServers.awaitInfo(replica, "replica " + replica.port() + " linked",
                    i -> "up".equals(i.get("master_link_status")));
        }
        // a replica's role reaches the other nodes by gossip, a moment after its link is up: until then a node still
        // reports its master without a replica
        RedisServers.await("every node seeing a replica behind each of the 3 masters", () -> nodes.stream()
                .allMatch(n -> mastersWithReplica(clusterNodes(n)) == 3));
        // forming is the lab's doing: on a loaded machine a replica's first PSYNC can take over 10 ms and land in its
        // master's SLOWLOG, which redis-timeouts would report against a healthy cluster
        for (LabRedisServer n : nodes) {
            try (Jedis j = n.admin()) {
                j.slowlogReset();
            }
        }
    }

    /** How many distinct masters have a replica that is not failing, in one node's CLUSTER NODES. */
    private static long mastersWithReplica(String clusterNodes) {
        return clusterNodes.lines().map(l -> l.split(" ")).filter(f -> f.length > 3 && f[2].contains("slave")
                && !f[2].contains("fail") && !"-".equals(f[3])).map(f -> f[3]).distinct().count();
    }

    /** CLUSTER MEET from the first node, then each range of slots {from, to} to the node of the same index. */
    private static void meetAndAssign(List<LabRedisServer> group, int[][] ranges) {
        try (Jedis first = group.get(0).admin()) {
            for (int i = 1; i < group.size(); i++) {
                first.sendCommand(Cmd.CLUSTER, "MEET", RedisServers.HOST, Integer.toString(group.get(i).port()));
            }
        }
        for (int m = 0; m < ranges.length; m++) {
            try (Jedis j = group.get(m).admin()) {
                j.sendCommand(Cmd.CLUSTER, addSlots(ranges[m][0], ranges[m][1]));
            }
        }
    }

    /** CLUSTER ADDSLOTS from..to (ADDSLOTSRANGE is 7.0+ only; the lab also runs 6.2). */
    private static String[] addSlots(int from, int to) {
        List<String> args = new ArrayList<>(List.of("ADDSLOTS"));
        for (int slot = from; slot <= to; slot++) {
            args.add(Integer.toString(slot));
        }
        return args.toArray(String[]::new);
    }

    synchronized void heal() {
        if (dirty) {
            for (LabRedisServer n : nodes) {
                n.stop();
            }
            form();
            dirty = false;
        }
        for (LabRedisServer n : small) {
            n.stop();
        }
        small.clear();
    }

    synchronized List<LabRedisServer> all() {
        List<LabRedisServer> all = new ArrayList<>(nodes);
        all.addAll(small);
        return all;
    }

    private void breaking() {
        start();
        dirty = true;
    }

    /** Port of cluster node {@code index}: 0-2 are the masters, 3-5 their replicas (3 replicates 0, and so on). */
    public int port(int index) {
        start();
        return nodes.get(index).port();
    }

    /** {@code redis://monitor@127.0.0.1:PORT} of cluster node {@code index}. */
    public String uri(int index) {
        return "redis://" + RedisServers.MONITOR_USER + "@" + RedisServers.HOST + ":" + port(index);
    }

    /** Creates or replaces an ACL user on every cluster node (ACL users are per node). */
    public void createUser(String user, String password, String rules) {
        start();
        for (LabRedisServer n : nodes) {
            if (n.alive()) {
                try (Jedis j = n.admin()) {
                    RedisServers.setUser(j, user, password, rules);
                }
            }
        }
    }

    /** A master and its replica both die: a third of the slots has no node, cluster_state:fail. */
    public synchronized void shardLost() {
        breaking();
        nodes.get(2).stop();
        nodes.get(5).stop();
        await(nodes, "cluster_state:fail", i -> "fail".equals(i.get("cluster_state"))
                && !"0".equals(i.get("cluster_slots_fail")));
    }

    /** A master dies and its replica takes over: the cluster is ok, the new master has no replica, the old one is failed. */
    public synchronized void failover() {
        breaking();
        nodes.get(1).stop();
        String promoted = ":" + nodes.get(4).port() + "@";
        String old = ":" + nodes.get(1).port() + "@";
        RedisServers.await("the replica promoted and the old master flagged fail", () -> {
            List<String> lines = clusterNodes(nodes.get(0)).lines().toList();
            boolean newMaster = lines.stream().anyMatch(l -> l.contains(promoted) && l.split(" ")[2].contains("master")
                    && l.split(" ").length > 8);
            boolean oldFailed = lines.stream().anyMatch(l -> l.contains(old)
                    && List.of(l.split(" ")[2].split(",")).contains("fail"));
            return newMaster && oldFailed;
        });
        await(nodes, "cluster_state:ok", i -> "ok".equals(i.get("cluster_state"))
                && "16384".equals(i.get("cluster_slots_ok")));
    }

    /**
     * The cluster bus port of replica node 6 (index 5) is announced as a loopback port where nothing listens
     * (cluster-announce-bus-port), as if a firewall let its client port through but not its bus port: the other
     * nodes reconnect their bus links there, fail, and flag the node failing. Its client port keeps answering.
     */
    public synchronized void busPortUnreachable() {
        breaking();
        LabRedisServer node = nodes.get(5);
        String closed = Integer.toString(Ports.closedPort());
        try (Jedis j = node.admin()) {
            j.configSet("cluster-announce-bus-port", closed);
        }
        String addr = ":" + node.port() + "@" + closed;
        RedisServers.await("node " + node.port() + " announced with bus port " + closed,
                () -> clusterNodes(nodes.get(0)).contains(addr));
    }

    /** Slot 0 is removed from its master (CLUSTER DELSLOTS 0): one slot is served by nobody. */
    public synchronized void slotUnassigned() {
        breaking();
        try (Jedis j = nodes.get(0).admin()) {
            j.sendCommand(Cmd.CLUSTER, "DELSLOTS", "0");
        }
        RedisServers.await("slot 0 unassigned on node 1", () -> "16383".equals(clusterInfo(nodes.get(0))
                .get("cluster_slots_assigned")));
    }

    /**
     * A second, separate cluster of two masters (slots 0-8191 and 8192-16383) and no replicas, started by this
     * call and removed by {@link RedisLab#heal()}: a real cluster that is too small to fail a master over.
     */
    public synchronized void twoMasters() {
        if (!small.isEmpty()) {
            return;
        }
        for (int i = 0; i < 2; i++) {
            small.add(servers.server("small-cluster-" + (i + 1), RedisServers.clusterPort(), NODE_ARGS));
        }
        for (LabRedisServer n : small) {
            servers.start(n);
        }
        meetAndAssign(small, new int[][] {{0, 8191}, {8192, 16383}});
        await(small, "the two-master cluster ok", i -> "ok".equals(i.get("cluster_state"))
                && "2".equals(i.get("cluster_size")));
    }

    /** {@code redis://monitor@127.0.0.1:PORT} of node {@code index} (0 or 1) of {@link #twoMasters()}. */
    public synchronized String twoMastersUri(int index) {
        return "redis://" + RedisServers.MONITOR_USER + "@" + RedisServers.HOST + ":" + small.get(index).port();
    }

    private String nodeId(int index) {
        try (Jedis j = nodes.get(index).admin()) {
            return RedisWire.text(j.sendCommand(Cmd.CLUSTER, "MYID"));
        }
    }

    private static String clusterNodes(LabRedisServer n) {
        try (Jedis j = n.admin()) {
            return RedisWire.text(j.sendCommand(Cmd.CLUSTER, "NODES"));
        }
    }

    private static Map<String, String> clusterInfo(LabRedisServer n) {
        try (Jedis j = n.admin()) {
            return RedisWire.parseInfo(RedisWire.text(j.sendCommand(Cmd.CLUSTER, "INFO")));
        }
    }

    /** Until CLUSTER INFO of every running node of {@code group} shows {@code what}. */
    private static void await(List<LabRedisServer> group, String what, Predicate<Map<String, String>> shows) {
        RedisServers.await(what, () -> group.stream().filter(LabRedisServer::alive)
                .allMatch(n -> shows.test(clusterInfo(n))));
    }
}
