package io.opsdoc.lab.redis;

import io.opsdoc.lab.redis.RedisLab.Node;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import redis.clients.jedis.Jedis;

/**
 * The lab's three always-running servers: a standalone server, and a primary with one replica. A fault marks the
 * server it changes ({@link #touch}); healing restarts exactly those, in a fresh data directory, which undoes any
 * configuration, data, ACL or fork child the fault left behind in about 0.1 s.
 */
final class NodeServers {
    private final RedisServers servers;
    private final Map<Node, LabRedisServer> nodes = new EnumMap<>(Node.class);
    private final Set<Node> dirty = EnumSet.noneOf(Node.class);

    NodeServers(RedisServers servers) {
        this.servers = servers;
        List<String> common = List.of("--save", "3600", "1", "--save", "300", "100", "--save", "60", "10000",
                "--appendonly", "yes", "--appendfsync", "everysec", "--latency-monitor-threshold", "100",
                "--repl-diskless-sync-delay", "0", "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru",
                "--protected-mode", "yes");
        int[] ports = {RedisServers.reservePort(), RedisServers.reservePort(), RedisServers.reservePort()};
        nodes.put(Node.STANDALONE, servers.server("standalone", ports[0], common));
        nodes.put(Node.PRIMARY, servers.server("primary", ports[1], common));
        List<String> replicaArgs = new ArrayList<>(common);
        replicaArgs.addAll(List.of("--replicaof", RedisServers.HOST, Integer.toString(ports[1]), "--masteruser",
                RedisServers.ADMIN_USER, "--masterauth", servers.adminPassword, "--replica-read-only", "yes"));
        nodes.put(Node.REPLICA, servers.server("replica", ports[2], replicaArgs));
    }

    void startAll() {
        for (Node node : Node.values()) {
            servers.start(nodes.get(node));
        }
        awaitReplicaLinked();
    }

    LabRedisServer server(Node node) {
        return nodes.get(node);
    }

    int port(Node node) {
        return nodes.get(node).port();
    }

    Jedis admin(Node node) {
        return nodes.get(node).admin();
    }

    Map<String, String> info(Node node) {
        try (Jedis j = admin(node)) {
            return RedisWire.parseInfo(j.info("all"));
        }
    }

    /** Marks {@code node} changed by a fault: the next heal restarts it. */
    Node touch(Node node) {
        dirty.add(node);
        return node;
    }

    /** Stops and starts {@code node} now (a fault that needs a restart, e.g. with a file size limit). */
    void restart(Node node) {
        touch(node);
        nodes.get(node).stop();
        servers.start(nodes.get(node));
    }

    void config(Node node, String name, String value) {
        touch(node);
        try (Jedis j = admin(node)) {
            j.configSet(name, value);
        }
    }

    void acl(Node node, String... args) {
        touch(node);
        try (Jedis j = admin(node)) {
            j.sendCommand(RedisWire.Cmd.ACL, args);
        }
    }

    Map<String, String> await(Node node, String what, Predicate<Map<String, String>> shows) {
        return RedisServers.awaitInfo(nodes.get(node), what, shows);
    }

    /** Restarts what a fault touched (and anything that died), then waits for replication to be whole again. */
    void heal() {
        boolean relink = dirty.contains(Node.PRIMARY) || dirty.contains(Node.REPLICA);
        for (Node node : Node.values()) {
            LabRedisServer s = nodes.get(node);
            if (dirty.contains(node) || !s.alive()) {
                s.stop();
            }
        }
        for (Node node : Node.values()) {
            if (!nodes.get(node).alive()) {
                servers.start(nodes.get(node));
            }
        }
        dirty.clear();
        if (relink) {
            awaitReplicaLinked();
        }
        try (Jedis j = admin(Node.STANDALONE)) {
            j.slowlogReset();
            j.sendCommand(RedisWire.Cmd.LATENCY, "RESET");
        }
    }

    private void awaitReplicaLinked() {
        String primary = Integer.toString(port(Node.PRIMARY));
        await(Node.REPLICA, "replication link up", i -> "up".equals(i.get("master_link_status"))
                && primary.equals(i.get("master_port")) && "0".equals(i.get("master_sync_in_progress")));
        await(Node.PRIMARY, "one online replica", i -> "1".equals(i.get("connected_slaves"))
                && i.getOrDefault("slave0", "").contains("state=online"));
    }

    List<LabRedisServer> all() {
        return List.copyOf(nodes.values());
    }
}
