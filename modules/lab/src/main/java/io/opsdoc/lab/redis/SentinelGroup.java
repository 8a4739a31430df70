package io.opsdoc.lab.redis;

import io.opsdoc.lab.redis.RedisWire.Cmd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A master, its replica and three Sentinels (quorum 2), apart from the lab's other servers so that their faults and
 * restarts never trigger a failover. Started on first use (about 3 s: Sentinels find each other every 2 s); a fault
 * marks the group dirty and healing restarts all five.
 */
public final class SentinelGroup {
    private static final Logger log = LoggerFactory.getLogger(SentinelGroup.class);
    /** The name the Sentinels monitor the group's master under. */
    public static final String MASTER_NAME = "labmaster";
    private static final int SENTINELS = 3;

    private final RedisServers servers;
    private LabRedisServer master;
    private LabRedisServer replica;
    private final List<LabRedisServer> sentinels = new ArrayList<>();
    private boolean dirty;
    /** The Sentinel that leads the failover {@link #failoverStuck()} started; -1 when none. */
    private int failoverLeader = -1;

    SentinelGroup(RedisServers servers) {
        this.servers = servers;
    }

    /** Starts the group if it is not running yet. */
    public synchronized void start() {
        if (master != null) {
            return;
        }
        long t0 = System.nanoTime();
        int[] ports = new int[2 + SENTINELS];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = RedisServers.reservePort();
        }
        List<String> common = List.of("--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0",
                "--maxmemory", "64mb");
        master = servers.server("sentinel-master", ports[0], common);
        List<String> replicaArgs = new ArrayList<>(common);
        replicaArgs.addAll(List.of("--replicaof", RedisServers.HOST, Integer.toString(ports[0]), "--masteruser",
                RedisServers.ADMIN_USER, "--masterauth", servers.adminPassword));
        replica = servers.server("sentinel-replica", ports[1], replicaArgs);
        for (int i = 0; i < SENTINELS; i++) {
            String config = String.join("\n",
                    "sentinel monitor " + MASTER_NAME + " " + RedisServers.HOST + " " + ports[0] + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    "sentinel auth-user " + MASTER_NAME + " " + RedisServers.ADMIN_USER,
                    "sentinel auth-pass " + MASTER_NAME + " " + servers.adminPassword) + "\n";
            sentinels.add(servers.sentinel("sentinel-" + (i + 1), ports[2 + i], config));
        }
        startGroup();
        log.info("Redis Sentinel group up in {} ms: master :{}, replica :{}, sentinels :{} :{} :{}",
                (System.nanoTime() - t0) / 1_000_000, ports[0], ports[1], ports[2], ports[3], ports[4]);
    }

    private void startGroup() {
        servers.start(master);
        servers.start(replica);
        RedisServers.awaitInfo(replica, "replication link up", i -> "up".equals(i.get("master_link_status")));
        for (LabRedisServer s : sentinels) {
            s.start();
        }
        awaitSentinels("3 Sentinels that know each other, the master and its replica", SENTINELS, m ->
                "2".equals(m.get("num-other-sentinels")) && "1".equals(m.get("num-slaves"))
                        && "master".equals(m.get("flags")) && Integer.toString(master.port()).equals(m.get("port")));
        awaitReplicaKnownHealthy(SENTINELS);
    }

    synchronized void heal() {
        if (!dirty) {
            return;
        }
        stopAll();
        startGroup();
        dirty = false;
        failoverLeader = -1;
    }

    synchronized void stopAll() {
        for (LabRedisServer s : all()) {
            s.stop();
        }
    }

    synchronized List<LabRedisServer> all() {
        List<LabRedisServer> all = new ArrayList<>(sentinels);
        if (master != null) {
            all.add(replica);
            all.add(master);
        }
        return all;
    }

    /** Starts the group if needed and marks it for a restart at the next heal. */
    private void breaking() {
        start();
        dirty = true;
    }

    public int sentinelPort(int index) {
        start();
        return sentinels.get(index).port();
    }

    /** {@code redis-sentinel://127.0.0.1:PORT/labmaster} for Sentinel number {@code index} (0-2). */
    public String uri(int index) {
        return "redis-sentinel://" + RedisServers.HOST + ":" + sentinelPort(index) + "/" + MASTER_NAME;
    }

    public int masterPort() {
        start();
        return master.port();
    }

    public int replicaPort() {
        start();
        return replica.port();
    }

    /** A fresh connection to Sentinel {@code index} (Sentinels have no password in the lab); the caller closes it. */
    public Jedis sentinel(int index) {
        start();
        return sentinels.get(index).admin();
    }

    /** SENTINEL MASTER labmaster as a map, from Sentinel {@code index}. */
    public Map<String, String> masterState(int index) {
        try (Jedis j = sentinel(index)) {
            return RedisWire.pairs((List<?>) j.sendCommand(Cmd.SENTINEL, "MASTER", MASTER_NAME));
        }
    }

    /** The master's replica may never be promoted (replica-priority 0), then the master dies: o_down, no failover. */
    public synchronized void masterDownNoPromotableReplica() {
        breaking();
        try (Jedis j = replica.admin()) {
            j.configSet("replica-priority", "0");
        }
        master.stop();
        awaitSentinels("o_down", 1, m -> m.get("flags").contains("o_down"));
        // Sentinel learns the priority from the replica's INFO, every 10 s (every 1 s once the master is down): until
        // it has, it still counts the replica as promotable, and on a loaded machine the check could read that
        RedisServers.await("the Sentinel seeing replica-priority 0", () -> {
            List<Map<String, String>> known = replicas(0);
            return !known.isEmpty() && known.stream().allMatch(r -> "0".equals(r.get("slave-priority"))
                    || "0".equals(r.get("replica-priority")));
        });
    }

    /** Two of the three Sentinels stop, then the master dies: the last Sentinel sees s_down but cannot agree o_down. */
    public synchronized void masterDownWithoutQuorum() {
        breaking();
        sentinels.get(1).stop();
        sentinels.get(2).stop();
        master.stop();
        awaitSentinels("s_down", 1, m -> m.get("flags").contains("s_down"));
        awaitCkquorum(false);
    }

    /** Two of the three Sentinels stop: the last one cannot reach the quorum of 2 (SENTINEL CKQUORUM fails). */
    public synchronized void sentinelsLost() {
        breaking();
        sentinels.get(1).stop();
        sentinels.get(2).stop();
        awaitCkquorum(false);
    }

    /** One Sentinel is removed for good (stopped, the others reset): two Sentinels remain and know it. */
    public synchronized void reducedToTwo() {
        breaking();
        sentinels.get(2).stop();
        for (int i = 0; i < 2; i++) {
            try (Jedis j = sentinels.get(i).admin()) {
                j.sendCommand(Cmd.SENTINEL, "RESET", MASTER_NAME);
            }
        }
        awaitSentinels("two Sentinels that know each other", 2, m -> "1".equals(m.get("num-other-sentinels"))
                && "1".equals(m.get("num-slaves")));
        // after a reset the replica is rediscovered first and its link state is learnt from the next INFO
        awaitReplicaKnownHealthy(2);
    }

    /** The master's only replica dies: the Sentinels flag it s_down. */
    public synchronized void replicaDown() {
        breaking();
        replica.stop();
        RedisServers.await("the replica flagged s_down", () -> replicas(0).stream()
                .anyMatch(r -> r.get("flags").contains("s_down")));
    }

    /** The master dies and the Sentinels promote its replica; the old master stays down. */
    public synchronized void failover() {
        breaking();
        master.stop();
        awaitSentinels("the replica promoted", 1, m -> Integer.toString(replica.port()).equals(m.get("port"))
                && "master".equals(m.get("flags")));
    }

    /**
     * The replica refuses to be promoted (its ACL denies REPLICAOF to the user the Sentinels log in as), then the
     * master dies: the Sentinels agree, elect a leader and start a failover that waits for a promotion that never
     * comes, until failover-timeout (5 s) aborts it. Returns once a Sentinel shows failover_in_progress, with the
     * index of that Sentinel (the elected leader: only it runs, and flags, the failover).
     */
    public synchronized int failoverStuck() {
        breaking();
        try (Jedis j = replica.admin()) {
            j.sendCommand(Cmd.ACL, "SETUSER", RedisServers.ADMIN_USER, "-replicaof", "-slaveof");
        }
        master.stop();
        int[] leader = {-1};
        RedisServers.await("a Sentinel running the failover", () -> {
            for (int i = 0; i < SENTINELS; i++) {
                if (masterState(i).getOrDefault("flags", "").contains("failover_in_progress")) {
                    leader[0] = i;
                    return true;
                }
            }
            return false;
        });
        failoverLeader = leader[0];
        return leader[0];
    }

    /** The URI of the Sentinel leading the failover {@link #failoverStuck()} started (only it flags the failover). */
    public synchronized String failoverLeaderUri() {
        if (failoverLeader < 0) {
            throw new IllegalStateException("no failover was started (failoverStuck)");
        }
        return uri(failoverLeader);
    }

    /**
     * Sentinel 3 (index 2) is re-pointed by hand: it forgets the master and monitors the replica's address under the
     * same name (SENTINEL REMOVE + MONITOR), while the other two keep the real master. Clients asking it get the
     * replica's address; it stays known to the others, and being alone it cannot fail anything over.
     */
    public synchronized void addressDisagreement() {
        breaking();
        try (Jedis j = sentinels.get(2).admin()) {
            j.sendCommand(Cmd.SENTINEL, "REMOVE", MASTER_NAME);
            j.sendCommand(Cmd.SENTINEL, "MONITOR", MASTER_NAME, RedisServers.HOST, Integer.toString(replica.port()), "2");
            j.sendCommand(Cmd.SENTINEL, "SET", MASTER_NAME, "auth-user", RedisServers.ADMIN_USER, "auth-pass",
                    servers.adminPassword);
        }
        String replicaPort = Integer.toString(replica.port());
        RedisServers.await("Sentinel 3 answering with the replica's address", () -> {
            try (Jedis j = sentinels.get(2).admin()) {
                List<?> addr = (List<?>) j.sendCommand(Cmd.SENTINEL, "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
                return addr != null && replicaPort.equals(RedisWire.text(addr.get(1)));
            }
        });
    }

    private List<Map<String, String>> replicas(int sentinel) {
        try (Jedis j = sentinels.get(sentinel).admin()) {
            List<?> replicas = (List<?>) j.sendCommand(Cmd.SENTINEL, "REPLICAS", MASTER_NAME);
            return replicas.stream().map(r -> RedisWire.pairs((List<?>) r)).toList();
        }
    }

    private void awaitReplicaKnownHealthy(int sentinelCount) {
        RedisServers.await("the replica known healthy by the Sentinels", () -> {
            for (int i = 0; i < sentinelCount; i++) {
                boolean healthy = replicas(i).stream().anyMatch(r -> "slave".equals(r.get("flags"))
                        && "ok".equals(r.get("master-link-status")));
                if (!healthy) {
                    return false;
                }
            }
            return true;
        });
    }

    private void awaitCkquorum(boolean ok) {
        RedisServers.await("CKQUORUM " + (ok ? "OK" : "failing"), () -> {
            try (Jedis j = sentinels.get(0).admin()) {
                j.sendCommand(Cmd.SENTINEL, "CKQUORUM", MASTER_NAME);
                return ok;
            } catch (JedisException e) {
                return !ok;
            }
        });
    }

    private void awaitSentinels(String what, int count, Predicate<Map<String, String>> shows) {
        RedisServers.await(what, () -> {
            for (int i = 0; i < count; i++) {
                if (!shows.test(masterState(i))) {
                    return false;
                }
            }
            return true;
        });
    }
}
