package io.opsdoc.lab.redis;

import io.opsdoc.lab.Ports;
import io.opsdoc.lab.redis.BackgroundClients.HeldConnections;
import io.opsdoc.lab.redis.RedisLab.Node;
import io.opsdoc.lab.redis.RedisWire.Cmd;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.Jedis;

/**
 * Faults of the primary and its replica: a broken link, a replica that stops reading, a writable replica, a lost
 * replica, a full resync, and a backlog too small for the write rate. {@link RedisLab#heal()} restarts both and waits
 * for the link.
 */
public final class ReplicationFaults {
    private final RedisServers servers;
    private final NodeServers nodes;

    ReplicationFaults(RedisServers servers, NodeServers nodes) {
        this.servers = servers;
        this.nodes = nodes;
    }

    private void touchBoth() {
        nodes.touch(Node.PRIMARY);
        nodes.touch(Node.REPLICA);
    }

    /** The replica is pointed at a loopback port where nothing listens: master_link_status:down. */
    public void replicaLinkDown() {
        nodes.touch(Node.REPLICA);
        try (Jedis j = nodes.admin(Node.REPLICA)) {
            j.sendCommand(Cmd.REPLICAOF, RedisServers.HOST, Integer.toString(Ports.closedPort()));
        }
        nodes.await(Node.REPLICA, "master_link_status:down", i -> "down".equals(i.get("master_link_status")));
    }

    /** The replica stops reading replication (DEBUG SLEEP) while the primary takes 2 MiB of writes. */
    public void replicaLagging() {
        touchBoth();
        HeldConnections held = servers.background.keep(new HeldConnections());
        Jedis sleeper = held.add(nodes.server(Node.REPLICA).connect(RedisServers.ADMIN_USER, servers.adminPassword, 0));
        Thread t = new Thread(() -> {
            try {
                sleeper.sendCommand(Cmd.DEBUG, "SLEEP", "30");
            } catch (RuntimeException expected) {
                // heal kills the replica
            }
        }, "opsdoc-redis-lab-replica-sleep");
        t.setDaemon(true);
        t.start();
        RedisWire.sleep(300);
        try (Jedis j = nodes.admin(Node.PRIMARY)) {
            RedisWire.fill(j, "lab:lag:", 32, 64 * 1024);
        }
        nodes.await(Node.PRIMARY, "slave0 lag >= 2 s", i -> i.containsKey("slave0")
                && RedisWire.field(i.get("slave0"), "lag") >= 2);
    }

    /** replica-read-only no: applications can write to the replica. */
    public void replicaWritable() {
        nodes.config(Node.REPLICA, "replica-read-only", "no");
    }

    /** REPLICAOF NO ONE on the replica: the primary is left without replicas. */
    public void replicaDetached() {
        touchBoth();
        try (Jedis j = nodes.admin(Node.REPLICA)) {
            j.sendCommand(Cmd.REPLICAOF, "NO", "ONE");
        }
        nodes.await(Node.PRIMARY, "connected_slaves:0", i -> "0".equals(i.get("connected_slaves")));
    }

    /**
     * The replica restarts empty while the primary's snapshot for it is slow (rdb-key-save-delay): a full
     * synchronisation is in progress for about 3 s.
     */
    public void fullSyncInProgress() {
        touchBoth();
        try (Jedis j = nodes.admin(Node.PRIMARY)) {
            RedisWire.fill(j, "lab:sync:", 300, 100);
            j.configSet("rdb-key-save-delay", "10000");
        }
        nodes.restart(Node.REPLICA);
        nodes.await(Node.REPLICA, "master_sync_in_progress:1", i -> "1".equals(i.get("master_sync_in_progress")));
    }

    /**
     * A 16 KiB replication backlog on a primary taking about 3 MiB/s of writes, and a network that drops the
     * replica's link every 600 ms: every reconnection needs a full resync (sync_full keeps rising).
     */
    public void resyncLoop() {
        touchBoth();
        try (Jedis j = nodes.admin(Node.PRIMARY)) {
            j.configSet("repl-backlog-size", "16384");
        }
        servers.startWriter(nodes.server(Node.PRIMARY), "lab:stream:", 32 * 1024, 10, 64);
        servers.background.loop("replica-link-killer", () -> {
            Jedis primary = servers.background.keep(nodes.admin(Node.PRIMARY));
            byte[] chunk = new byte[32 * 1024];
            return () -> {
                RedisWire.sleep(600);
                primary.sendCommand(Cmd.CLIENT, "KILL", "TYPE", "replica");
                // write more than the backlog holds while the link is down, so the replica's reconnect cannot
                // continue from the backlog whatever the background writer managed on a loaded machine
                for (int k = 0; k < 4; k++) {
                    primary.set(("lab:burst:" + k).getBytes(StandardCharsets.UTF_8), chunk);
                }
            };
        });
        long before = Long.parseLong(nodes.info(Node.PRIMARY).get("sync_full"));
        nodes.await(Node.PRIMARY, "another full resync", i -> Long.parseLong(i.get("sync_full")) >= before + 1);
    }

    /** A primary taking about 100 KiB/s of writes with a 16 KiB backlog (and no link trouble, yet). */
    public void smallBacklogUnderWrites() {
        touchBoth();
        try (Jedis j = nodes.admin(Node.PRIMARY)) {
            j.configSet("repl-backlog-size", "16384");
        }
        servers.startWriter(nodes.server(Node.PRIMARY), "lab:stream:", 10 * 1024, 100, 64);
    }
}
