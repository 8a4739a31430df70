package io.opsdoc.lab.redis;

import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * Real Redis servers on loopback (the 6.2 binary embedded-redis ships, or an installed Redis 7: {@link RedisVersion}):
 * a standalone server and a primary with one replica, always running; a Sentinel group, a Cluster and a TLS server,
 * each started on first use. The faults are grouped by what they break ({@link #standalone()}, {@link #replication()},
 * {@link #sentinel()}, {@link #cluster()}); the lab knows nothing about the checks run against it.
 *
 * <p>Every fault stays in place until {@link #heal()}, which stops the clients faults keep running and restarts
 * whatever was touched, in a fresh data directory.
 */
public final class RedisLab implements Lab {
    private static final Logger log = LoggerFactory.getLogger(RedisLab.class);

    /** Which of the always-running servers. */
    public enum Node { STANDALONE, PRIMARY, REPLICA }

    /**
     * What the lab's monitor user may run: the read-only commands the opsdoc Redis checks use (the checks' tests
     * also create users from each check's own printed grants).
     */
    public static final String MONITOR_RULES = "-@all +ping +info +config|get +slowlog|get +latency|latest +client|list "
            + "+client|setname +cluster|info +cluster|nodes +command|info +acl|getuser +acl|cat";

    private static final Map<RedisVersion, RedisLab> SHARED = new EnumMap<>(RedisVersion.class);

    private final RedisServers servers;
    private final NodeServers nodes;
    private final StandaloneFaults standalone;
    private final ReplicationFaults replication;
    private final SentinelGroup sentinel;
    private final ClusterGroup cluster;
    private final TlsServer tls;
    private final AtomicBoolean closed;
    /** What {@link #heal()} restores: the whole lab, or one {@link Part} of it. */
    private final Part healed;

    /**
     * Parts of the lab that share no server: no fault of one touches a server of the other, so a view of each
     * ({@link #part(Part)}) can break and heal its own while the other part's scenarios run.
     */
    public enum Part {
        /** The standalone server, the primary and its replica, and the background clients faults keep running. */
        NODES,
        /** The Sentinel group, the Clusters and the TLS server, each with servers of its own. */
        GROUPS
    }

    private RedisLab(RedisVersion version) {
        servers = new RedisServers(version, LabFiles.tempDir("opsdoc-redis-lab-"));
        nodes = new NodeServers(servers);
        standalone = new StandaloneFaults(servers, nodes);
        replication = new ReplicationFaults(servers, nodes);
        sentinel = new SentinelGroup(servers);
        cluster = new ClusterGroup(servers);
        tls = new TlsServer(servers);
        closed = new AtomicBoolean();
        healed = null;
    }

    /** A view of {@code whole}: the same servers, healing only {@code part}. */
    private RedisLab(RedisLab whole, Part part) {
        servers = whole.servers;
        nodes = whole.nodes;
        standalone = whole.standalone;
        replication = whole.replication;
        sentinel = whole.sentinel;
        cluster = whole.cluster;
        tls = whole.tls;
        closed = whole.closed;
        healed = part;
    }

    /**
     * This lab's servers, with a {@link #heal()} that restores only {@code part}: for scenarios that break only that
     * part, run side by side with the other part's. Closing a view closes the lab.
     */
    public RedisLab part(Part part) {
        return new RedisLab(this, part);
    }

    /** One Redis 6.2 lab per JVM, started on first use and stopped when the JVM exits. */
    public static RedisLab shared() {
        return shared(RedisVersion.V6_2);
    }

    /**
     * One lab per version per JVM, started on first use and stopped when the JVM exits.
     *
     * @throws IllegalStateException when that version's binary is not installed ({@link RedisVersion#available()})
     */
    public static synchronized RedisLab shared(RedisVersion version) {
        RedisLab lab = SHARED.get(version);
        if (lab == null || lab.closed.get()) {
            lab = start(version);
            SHARED.put(version, lab);
        }
        return lab;
    }

    /** A Redis 6.2 lab of one's own ({@link #start(RedisVersion)}). */
    public static RedisLab start() {
        return start(RedisVersion.V6_2);
    }

    /**
     * Starts the three servers in a fresh directory under java.io.tmpdir, deleted on close (or at JVM exit); the
     * caller closes the lab.
     */
    public static RedisLab start(RedisVersion version) {
        long t0 = System.nanoTime();
        RedisLab lab = new RedisLab(version);
        // redis-server processes are not children that die with the JVM: stop them on exit and on Ctrl-C too
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-redis-lab-stop"));
        try {
            lab.nodes.startAll();
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        log.info("Redis lab up in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, lab.where());
        return lab;
    }

    // ---------------------------------------------------------------------------------------------
    // Coordinates and credentials

    public static String host() {
        return RedisServers.HOST;
    }

    public int port(Node node) {
        return nodes.port(node);
    }

    /** {@code redis://monitor@127.0.0.1:PORT}. */
    public String uri(Node node) {
        return "redis://" + RedisServers.MONITOR_USER + "@" + host() + ":" + port(node);
    }

    public String monitorUser() {
        return RedisServers.MONITOR_USER;
    }

    public String monitorPassword() {
        return servers.monitorPassword;
    }

    /** A user that may run no command at all. */
    public String noPrivilegeUser() {
        return RedisServers.NO_PRIVILEGE_USER;
    }

    public String noPrivilegePassword() {
        return servers.noPrivilegePassword;
    }

    /** The default user's password (what an application configured with only a password uses). */
    public String applicationPassword() {
        return servers.applicationPassword;
    }

    /** Which binary this lab runs. */
    public RedisVersion redisVersion() {
        return servers.version;
    }

    /** The server's redis_version. */
    public String version() {
        return info(Node.STANDALONE).getOrDefault("redis_version", "?");
    }

    /** A fresh connection as the lab's admin user (+@all); the caller closes it. */
    public Jedis admin(Node node) {
        return nodes.admin(node);
    }

    /** INFO as one flat map of field to value (section headers dropped). */
    public Map<String, String> info(Node node) {
        return nodes.info(node);
    }

    /**
     * Creates or replaces an ACL user on the three servers: {@code ACL SETUSER user reset on >password resetkeys
     * resetchannels <rules>}. It lasts only until the next restart of that server, so create it per test.
     */
    public void createUser(String user, String password, String rules) {
        for (Node node : Node.values()) {
            try (Jedis j = admin(node)) {
                RedisServers.setUser(j, user, password, rules);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // What can be broken

    /** Faults of the standalone server. */
    public StandaloneFaults standalone() {
        ensureOpen();
        return standalone;
    }

    /** Faults of the primary and its replica. */
    public ReplicationFaults replication() {
        ensureOpen();
        return replication;
    }

    /** The Sentinel group (started on first use) and its faults. */
    public SentinelGroup sentinel() {
        ensureOpen();
        return sentinel;
    }

    /** The Cluster (started on first use) and its faults. */
    public ClusterGroup cluster() {
        ensureOpen();
        return cluster;
    }

    /** The TLS server (started on first use; needs a Redis built with TLS). */
    public TlsServer tls() {
        ensureOpen();
        return tls;
    }

    // ---------------------------------------------------------------------------------------------
    // Healing and closing

    /**
     * Stops every background client and restarts each server a fault touched; returns when all are healthy. A
     * {@link #part(Part) view} restores only its part, so that it never restarts a server the other part's running
     * scenario has just broken.
     */
    @Override
    public void heal() {
        ensureOpen();
        if (healed != Part.GROUPS) {
            synchronized (nodes) {
                servers.background.close();
                nodes.heal();
            }
        }
        if (healed != Part.NODES) {
            sentinel.heal();
            cluster.heal();
        }
    }

    @Override
    public String where() {
        return "standalone " + host() + ":" + port(Node.STANDALONE) + ", primary :" + port(Node.PRIMARY) + ", replica :"
                + port(Node.REPLICA) + " (redis " + version() + ")";
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        servers.background.close();
        List<LabRedisServer> all = new ArrayList<>(nodes.all());
        all.addAll(sentinel.all());
        all.addAll(cluster.all());
        all.addAll(tls.all());
        for (LabRedisServer s : all) {
            try {
                s.stop();
            } catch (RuntimeException e) {
                log.warn("could not stop the lab's {} redis", s.name(), e);
            }
        }
        LabFiles.deleteRecursively(servers.workDir);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the Redis lab is closed");
        }
    }
}
