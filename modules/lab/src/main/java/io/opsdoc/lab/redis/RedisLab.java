package io.opsdoc.lab.redis;

import io.opsdoc.lab.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Real Redis servers on loopback (the 6.2 binary embedded-redis ships, or an installed Redis 7: {@link RedisVersion})
 * plus named fault injectors: a standalone
 * server, and a primary with one replica. The lab knows nothing about the checks run against it.
 *
 * <p>Every injector leaves its fault in place (background clients keep it going where the fault is a rate, such as
 * rejected connections or OOM errors) and returns once the server shows it. {@link #heal()} stops the background
 * clients and restarts whatever was touched, in a fresh data directory: a restart takes about 0.1 s and undoes any
 * configuration, data, ACL or fork child a fault left behind.
 */
public final class RedisLab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLab.class);

    /** Which server of the lab. */
    public enum Node { STANDALONE, PRIMARY, REPLICA }

    private static final String ADMIN_USER = "labadmin";
    private static final String MONITOR_USER = "monitor";
    private static final String NO_PRIVILEGE_USER = "noprivs";
    /**
     * What the lab's monitor user may run: the read-only commands the opsdoc Redis checks use (the checks' tests
     * also create users from each check's own printed grants).
     */
    public static final String MONITOR_RULES = "-@all +ping +info +config|get +slowlog|get +latency|latest +client|list "
            + "+client|setname +cluster|info +cluster|nodes +command|info +acl|getuser +acl|cat";
    /** The healthy default user: has a password and cannot run the commands that destroy data or reconfigure. */
    private static final String DEFAULT_USER_RULES = "on ~* allchannels +@all -flushall -flushdb -keys -config -debug";
    private static final Duration FAULT_DEADLINE = Duration.ofSeconds(20);
    private static final int LOW_MAXCLIENTS = 24;

    private static final Map<RedisVersion, RedisLab> SHARED = new java.util.EnumMap<>(RedisVersion.class);

    private final RedisVersion version;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private final String adminPassword = randomPassword();
    private final String monitorPassword = randomPassword();
    private final String noPrivilegePassword = randomPassword();
    private final String applicationPassword = randomPassword();
    private final Map<Node, LabRedisServer> servers = new LinkedHashMap<>();
    private final Set<Node> dirty = EnumSet.noneOf(Node.class);
    private final List<AutoCloseable> background = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Sentinel group: its own master and replica plus three Sentinels, started on first use. */
    private LabRedisServer sentinelMaster;
    private LabRedisServer sentinelReplica;
    private final List<LabRedisServer> sentinels = new ArrayList<>();
    private boolean sentinelDirty;
    /** Cluster: three masters and three replicas, started on first use. */
    private final List<LabRedisServer> clusterNodes = new ArrayList<>();
    private boolean clusterDirty;
    /** A server with a TLS port besides its cleartext one, started on first use ({@link #tlsPort()}). */
    private LabRedisServer tlsServer;
    private int tlsPort;
    private Path tlsCa;
    /** A separate two-master cluster, only while a fault needs it. */
    private final List<LabRedisServer> smallCluster = new ArrayList<>();

    private RedisLab(RedisVersion version, Path workDir, boolean ownsWorkDir) {
        this.version = version;
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
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
     * Starts the three servers in a fresh directory under java.io.tmpdir, deleted on close (or at JVM exit). The
     * Sentinel group and the Cluster start on first use ({@link #startSentinels()}, {@link #startCluster()}).
     */
    public static RedisLab start(RedisVersion version) {
        long t0 = System.nanoTime();
        RedisLab lab;
        try {
            lab = new RedisLab(version, Files.createTempDirectory("opsdoc-redis-lab-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Redis lab work dir", e);
        }
        // redis-server processes are not children that die with the JVM: stop them on exit and on Ctrl-C too
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-redis-lab-stop"));
        try {
            lab.boot();
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        log.info("Redis lab up in {} ms: standalone {}:{}, primary :{}, replica :{} (redis {})",
                (System.nanoTime() - t0) / 1_000_000, host(), lab.port(Node.STANDALONE), lab.port(Node.PRIMARY),
                lab.port(Node.REPLICA), lab.version());
        return lab;
    }

    private void boot() {
        int[] ports = {reservePort(), reservePort(), reservePort()};
        List<String> common = List.of("--save", "3600", "1", "--save", "300", "100", "--save", "60", "10000", "--appendonly", "yes",
                "--appendfsync", "everysec", "--latency-monitor-threshold", "100", "--repl-diskless-sync-delay", "0",
                "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru", "--protected-mode", "yes");
        servers.put(Node.STANDALONE, new LabRedisServer(version, "standalone", ports[0], workDir, common, ADMIN_USER, adminPassword));
        servers.put(Node.PRIMARY, new LabRedisServer(version, "primary", ports[1], workDir, common, ADMIN_USER, adminPassword));
        List<String> replicaArgs = new ArrayList<>(common);
        replicaArgs.addAll(List.of("--replicaof", host(), Integer.toString(ports[1]), "--masteruser", ADMIN_USER,
                "--masterauth", adminPassword, "--replica-read-only", "yes"));
        servers.put(Node.REPLICA, new LabRedisServer(version, "replica", ports[2], workDir, replicaArgs, ADMIN_USER, adminPassword));
        for (Node node : Node.values()) {
            startServer(node);
        }
        awaitReplicaLinked();
    }

    /** Ports handed to any lab server in this JVM: two labs (6.2 and 7) may start side by side. */
    private static final Set<Integer> RESERVED = new java.util.HashSet<>();

    /** A free loopback port no lab server of this JVM has been given yet. */
    static int reservePort() {
        while (true) {
            int p = Ports.freePort();
            if (reserve(p)) {
                return p;
            }
        }
    }

    private static boolean reserve(int port) {
        synchronized (RESERVED) {
            return RESERVED.add(port);
        }
    }

    private void startServer(Node node) {
        startServer(servers.get(node));
    }

    private void startServer(LabRedisServer server) {
        server.start();
        // a fresh server has only the passwordless default user: create the lab's users from that connection
        try (Jedis init = server.connect(null, null, 10_000)) {
            init.sendCommand(Cmd.ACL, "SETUSER", ADMIN_USER, "reset", "on", ">" + adminPassword, "~*", "allchannels", "+@all");
            setUser(init, MONITOR_USER, monitorPassword, MONITOR_RULES);
            setUser(init, NO_PRIVILEGE_USER, noPrivilegePassword, "-@all");
            List<String> def = new ArrayList<>(List.of("SETUSER", "default", "reset", ">" + applicationPassword));
            def.addAll(List.of(DEFAULT_USER_RULES.split(" ")));
            init.sendCommand(Cmd.ACL, def.toArray(String[]::new));
        }
    }

    private static void setUser(Jedis admin, String user, String password, String rules) {
        List<String> args = new ArrayList<>(List.of("SETUSER", user, "reset", "on", ">" + password, "resetkeys", "resetchannels"));
        args.addAll(List.of(rules.trim().split("\\s+")));
        admin.sendCommand(Cmd.ACL, args.toArray(String[]::new));
    }

    // ---------------------------------------------------------------------------------------------
    // Coordinates and credentials

    public static String host() {
        return LabRedisServer.HOST;
    }

    public int port(Node node) {
        return servers.get(node).port();
    }

    /** {@code redis://monitor@127.0.0.1:PORT}. */
    public String uri(Node node) {
        return "redis://" + MONITOR_USER + "@" + host() + ":" + port(node);
    }

    public String monitorUser() {
        return MONITOR_USER;
    }

    public String monitorPassword() {
        return monitorPassword;
    }

    public String noPrivilegeUser() {
        return NO_PRIVILEGE_USER;
    }

    public String noPrivilegePassword() {
        return noPrivilegePassword;
    }

    /** The default user's password (what an application configured with only a password uses). */
    public String applicationPassword() {
        return applicationPassword;
    }

    /** Which binary this lab runs. */
    public RedisVersion redisVersion() {
        return version;
    }

    /** The server's redis_version. */
    public String version() {
        try (Jedis j = admin(Node.STANDALONE)) {
            return info(j).getOrDefault("redis_version", "?");
        }
    }

    /** A fresh connection as the lab's admin user (+@all); the caller closes it. */
    public Jedis admin(Node node) {
        return servers.get(node).admin();
    }

    /**
     * Creates or replaces an ACL user on every server: {@code ACL SETUSER user reset on >password resetkeys
     * resetchannels <rules>}. Healing keeps it only until the next restart of that server, so call it per test.
     */
    public void createUser(String user, String password, String rules) {
        for (Node node : Node.values()) {
            try (Jedis j = admin(node)) {
                setUser(j, user, password, rules);
            }
        }
    }

    /** INFO as one flat map of field to value (section headers dropped). */
    public static Map<String, String> info(Jedis j) {
        return parseInfo(j.info("all"));
    }

    public Map<String, String> info(Node node) {
        try (Jedis j = admin(node)) {
            return info(j);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Fault injectors: the standalone server

    /**
     * maxmemory lowered to just above what is used, with {@code noeviction}, filled until writes fail with OOM; an
     * application thread keeps trying to write (and failing) every 100 ms.
     */
    public synchronized void memoryFullNoEviction() {
        Node node = touch(Node.STANDALONE);
        try (Jedis j = admin(node)) {
            long used = Long.parseLong(info(j).get("used_memory"));
            j.configSet("maxmemory-policy", "noeviction");
            j.configSet("maxmemory", Long.toString(used + 2 * 1024 * 1024));
            String value = "x".repeat(16 * 1024);
            for (int i = 0; i < 10_000; i++) {
                try {
                    j.set("lab:fill:" + i, value);
                } catch (JedisException e) {
                    if (e.getMessage() != null && e.getMessage().startsWith("OOM")) {
                        break;
                    }
                    throw e;
                }
            }
        }
        // 64 KiB per write: Redis refuses a write only once used_memory is already over the limit, and Redis 7 counts
        // client buffers in used_memory, which come and go by tens of KiB; 1 KiB writes could sit in that slack for
        // a whole sampling window without one OOM error
        startWriter(node, "lab:app:", 64 * 1024, 100, 100_000);
        await(node, "errorstat_OOM > 0", i -> i.getOrDefault("errorstat_OOM", "").startsWith("count="));
    }

    /** A small maxmemory with allkeys-lru and an application that keeps writing: keys are evicted continuously. */
    public synchronized void evicting() {
        Node node = touch(Node.STANDALONE);
        try (Jedis j = admin(node)) {
            long used = Long.parseLong(info(j).get("used_memory"));
            j.configSet("maxmemory", Long.toString(used + 4 * 1024 * 1024));
            j.configSet("maxmemory-policy", "allkeys-lru");
        }
        startWriter(node, "lab:cache:", 64 * 1024, 20, 100_000);
        await(node, "evicted_keys > 0", i -> Long.parseLong(i.get("evicted_keys")) > 0);
    }

    /**
     * A client keeps running a Lua script that busy-waits {@code each} on the server (every 2 x each), so every other
     * client waits behind it while it runs.
     */
    public synchronized void slowScript(Duration each) {
        Node node = touch(Node.STANDALONE);
        String script = "local s = redis.call('TIME') local t0 = s[1] * 1000000 + s[2] "
                + "repeat local n = redis.call('TIME') until (n[1] * 1000000 + n[2]) - t0 >= tonumber(ARGV[1]) return 1";
        long micros = each.toNanos() / 1000;
        Loop loop = new Loop("slow-script", () -> {
            Jedis j = servers.get(node).connect(ADMIN_USER, adminPassword, 60_000);
            background.add(j);
            return () -> {
                j.eval(script, 0, Long.toString(micros));
                sleep(each.toMillis());
            };
        });
        background.add(loop.start());
        await(node, "an EVAL in SLOWLOG", i -> {
            try (Jedis j = admin(node)) {
                return j.slowlogLen() > 0;
            }
        });
    }

    /**
     * maxclients lowered to {@value #LOW_MAXCLIENTS}; idle clients hold all slots but one. Whenever another client
     * (a probe) takes that last slot, an application thread tries to connect and is rejected, every 50 ms.
     */
    public synchronized void clientsExhausted() {
        Node node = touch(Node.STANDALONE);
        LabRedisServer server = servers.get(node);
        HeldConnections held = new HeldConnections();
        background.add(held);
        Jedis watcher = server.admin();
        held.add(watcher);
        watcher.configSet("maxclients", Integer.toString(LOW_MAXCLIENTS));
        while (connectedClients(watcher) < LOW_MAXCLIENTS - 1) {
            Jedis idle = server.admin();
            idle.ping();
            held.add(idle);
        }
        Loop retrier = new Loop("rejected-client", () -> () -> {
            if (connectedClients(watcher) >= LOW_MAXCLIENTS) {
                rawPing(server.port());
            }
            sleep(50);
        });
        background.add(retrier.start());
    }

    /** A queue consumer blocked in BLPOP on an empty list. */
    public synchronized void blockedClient() {
        Node node = touch(Node.STANDALONE);
        HeldConnections held = new HeldConnections();
        background.add(held);
        Jedis consumer = servers.get(node).connect(ADMIN_USER, adminPassword, 0);
        held.add(consumer);
        Thread t = new Thread(() -> {
            try {
                consumer.blpop(0, "lab:empty-queue");
            } catch (RuntimeException expected) {
                // heal closes the connection
            }
        }, "opsdoc-redis-lab-blpop");
        t.setDaemon(true);
        t.start();
        await(node, "blocked_clients = 1", i -> "1".equals(i.get("blocked_clients")));
    }

    /**
     * A client asks for a 4 MiB value {@code replies} times without reading the answers: the replies pile up in its
     * output buffer on the server (the normal client class has no limit by default).
     */
    public synchronized void outputBufferPileUp(int replies) {
        Node node = touch(Node.STANDALONE);
        try (Jedis j = admin(node)) {
            j.set("lab:big", "b".repeat(4 * 1024 * 1024));
        }
        Socket socket = new Socket();
        background.add(socket);
        try {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(host(), port(node)), 2_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder cmds = new StringBuilder(resp("AUTH", ADMIN_USER, adminPassword))
                    .append(resp("CLIENT", "SETNAME", "lab-slow-reader"));
            for (int i = 0; i < replies; i++) {
                cmds.append(resp("GET", "lab:big"));
            }
            out.write(cmds.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the slow reader", e);
        }
        long want = (long) (replies - 4) * 4 * 1024 * 1024;
        await(node, "a client with omem > " + want, i -> {
            try (Jedis j = admin(node)) {
                return j.clientList().lines().anyMatch(l -> l.contains("name=lab-slow-reader") && field(l, "omem") > want);
            }
        });
    }

    /** BGSAVE of 300 keys with a 10 ms delay per key (rdb-key-save-delay): a fork child writes for about 3 s. */
    public synchronized void backgroundSaveRunning() {
        Node node = touch(Node.STANDALONE);
        try (Jedis j = admin(node)) {
            fill(j, "lab:save:", 300, 100);
            j.configSet("rdb-key-save-delay", "10000");
            j.bgsave();
        }
        await(node, "rdb_bgsave_in_progress:1", i -> "1".equals(i.get("rdb_bgsave_in_progress")));
    }

    /** About {@code megabytes} MiB of small keys, then BGSAVE: a real fork of a bigger process (latest_fork_usec). */
    public synchronized void forkOfBigDataset(int megabytes) {
        Node node = touch(Node.STANDALONE);
        try (Jedis j = admin(node)) {
            j.configSet("maxmemory", "0");
            // no AOF: its automatic rewrite would fork again and replace latest_fork_usec with its own
            j.configSet("appendonly", "no");
            fill(j, "lab:fork:", megabytes * 1024, 1000);
        }
        // filling that much trips the automatic save points, whose child would make our BGSAVE fail: let it finish
        await(node, "no fork child running", i -> "0".equals(i.get("rdb_bgsave_in_progress"))
                && "0".equals(i.get("aof_rewrite_in_progress")));
        try (Jedis j = admin(node)) {
            j.bgsave();
        }
        await(node, "a finished BGSAVE", i -> "0".equals(i.get("rdb_bgsave_in_progress"))
                && Long.parseLong(i.get("latest_fork_usec")) > 0 && "ok".equals(i.get("rdb_last_bgsave_status")));
    }

    /**
     * Many small keys, then 90 % of them deleted: the allocator keeps the freed pages, so the process's resident
     * memory stays far above what Redis uses (mem_fragmentation_ratio well above 1).
     */
    public synchronized void fragmented(int megabytes) {
        Node node = touch(Node.STANDALONE);
        try (Jedis j = admin(node)) {
            j.configSet("maxmemory", "0");
            j.configSet("activedefrag", "no");
            int keys = megabytes * 1024 * 1024 / 200;
            fill(j, "lab:frag:", keys, 100);
            Pipeline p = j.pipelined();
            for (int i = 0; i < keys; i++) {
                if (i % 10 != 0) {
                    p.del("lab:frag:" + i);
                }
                if (i % 10_000 == 0) {
                    p.sync();
                }
            }
            p.sync();
        }
    }

    /** maxmemory 0: no limit, Redis grows until the kernel's OOM killer or swap stops it. */
    public synchronized void maxmemoryUnset() {
        config(Node.STANDALONE, "maxmemory", "0");
    }

    /** maxmemory 1 TiB: a limit larger than the machine's memory. */
    public synchronized void maxmemoryAboveSystemMemory() {
        config(Node.STANDALONE, "maxmemory", Long.toString(1L << 40));
    }

    /** volatile-lru with data that has no TTL: the policy has nothing it may evict. */
    public synchronized void volatilePolicyWithoutTtls() {
        Node node = touch(Node.STANDALONE);
        try (Jedis j = admin(node)) {
            j.configSet("maxmemory-policy", "volatile-lru");
            fill(j, "lab:nottl:", 100, 100);
        }
    }

    /** The default user loses its password: anyone who can connect gets in without AUTH. */
    public synchronized void noPassword() {
        acl(Node.STANDALONE, "SETUSER", "default", "nopass");
    }

    /** protected-mode off on top of {@link #noPassword()}. */
    public synchronized void protectedModeOff() {
        noPassword();
        config(Node.STANDALONE, "protected-mode", "no");
    }

    /** The default user may run every command again, FLUSHALL, KEYS and CONFIG included. */
    public synchronized void dangerousCommandsAllowed() {
        acl(Node.STANDALONE, "SETUSER", "default", "+@all");
    }

    /** The data directory becomes /proc, where nothing can be created: BGSAVE fails (and writes stop: MISCONF). */
    public synchronized void bgsaveFails() {
        Node node = touch(Node.STANDALONE);
        try (Jedis j = admin(node)) {
            j.set("lab:k", "v");
            j.configSet("dir", "/proc");
            j.bgsave();
        }
        await(node, "rdb_last_bgsave_status:err", i -> "err".equals(i.get("rdb_last_bgsave_status"))
                && "0".equals(i.get("rdb_bgsave_in_progress")));
    }

    /** As {@link #bgsaveFails()} for BGREWRITEAOF: aof_last_bgrewrite_status:err. */
    public synchronized void aofRewriteFails() {
        Node node = touch(Node.STANDALONE);
        try (Jedis j = admin(node)) {
            j.set("lab:k", "v");
            j.configSet("dir", "/proc");
            try {
                j.bgrewriteaof();
            } catch (JedisException e) {
                // Redis 7 (multi-part AOF) first opens a new incremental file in the parent, fails at once and says so
                log.debug("BGREWRITEAOF refused: {}", e.getMessage());
            }
        }
        await(node, "aof_last_bgrewrite_status:err", i -> "err".equals(i.get("aof_last_bgrewrite_status"))
                && "0".equals(i.get("aof_rewrite_in_progress")));
    }

    /**
     * The standalone server restarts with a file size limit of 1 MiB (RLIMIT_FSIZE, SIGXFSZ ignored), then takes 2 MiB
     * of writes: the kernel refuses the AOF write past the limit (EFBIG, a short write, as on a full disk), so
     * aof_last_write_status turns err and the server answers writes with MISCONF. A file size limit is used because
     * it holds for root too, where a read-only directory or file would not, and needs no mount privilege.
     */
    public synchronized void aofWriteFails() {
        Node node = touch(Node.STANDALONE);
        LabRedisServer server = servers.get(node);
        server.stop();
        server.limitFileSizeOnNextStart(1024 * 1024);
        startServer(node);
        String value = "a".repeat(64 * 1024);
        try (Jedis j = admin(node)) {
            for (int i = 0; i < 32; i++) {
                try {
                    j.set("lab:aof:" + i, value);
                } catch (JedisException e) {
                    if (e.getMessage() != null && e.getMessage().startsWith("MISCONF")) {
                        break;
                    }
                    throw e;
                }
            }
        }
        await(node, "aof_last_write_status:err", i -> "err".equals(i.get("aof_last_write_status")));
    }

    /** No RDB save points and no AOF on the given server. */
    public synchronized void noPersistence(Node target) {
        Node node = touch(target);
        try (Jedis j = admin(node)) {
            j.configSet("save", "");
            j.configSet("appendonly", "no");
        }
    }

    /** appendfsync always / everysec / no. */
    public synchronized void appendfsync(String policy) {
        config(Node.STANDALONE, "appendfsync", policy);
    }

    /** RDB only (AOF off) and 50 writes since the last snapshot. */
    public synchronized void unsavedChanges() {
        Node node = touch(Node.STANDALONE);
        try (Jedis j = admin(node)) {
            j.configSet("appendonly", "no");
            fill(j, "lab:unsaved:", 50, 10);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Fault injectors: the primary and its replica

    /** The replica is pointed at a loopback port where nothing listens: master_link_status:down. */
    public synchronized void replicaLinkDown() {
        Node node = touch(Node.REPLICA);
        try (Jedis j = admin(node)) {
            j.sendCommand(Cmd.REPLICAOF, host(), Integer.toString(Ports.closedPort()));
        }
        await(node, "master_link_status:down", i -> "down".equals(i.get("master_link_status")));
    }

    /** The replica stops reading replication (DEBUG SLEEP) while the primary takes 2 MiB of writes. */
    public synchronized void replicaLagging() {
        touch(Node.PRIMARY);
        touch(Node.REPLICA);
        HeldConnections held = new HeldConnections();
        background.add(held);
        Jedis sleeper = servers.get(Node.REPLICA).connect(ADMIN_USER, adminPassword, 0);
        held.add(sleeper);
        Thread t = new Thread(() -> {
            try {
                sleeper.sendCommand(Cmd.DEBUG, "SLEEP", "30");
            } catch (RuntimeException expected) {
                // heal kills the replica
            }
        }, "opsdoc-redis-lab-replica-sleep");
        t.setDaemon(true);
        t.start();
        sleep(300);
        try (Jedis j = admin(Node.PRIMARY)) {
            fill(j, "lab:lag:", 32, 64 * 1024);
        }
        await(Node.PRIMARY, "slave0 lag >= 2 s", i -> i.containsKey("slave0") && field(i.get("slave0").replace(',', ' '), "lag") >= 2);
    }

    /** replica-read-only no: applications can write to the replica. */
    public synchronized void replicaWritable() {
        config(Node.REPLICA, "replica-read-only", "no");
    }

    /** REPLICAOF NO ONE on the replica: the primary is left without replicas. */
    public synchronized void replicaDetached() {
        touch(Node.PRIMARY);
        Node node = touch(Node.REPLICA);
        try (Jedis j = admin(node)) {
            j.sendCommand(Cmd.REPLICAOF, "NO", "ONE");
        }
        await(Node.PRIMARY, "connected_slaves:0", i -> "0".equals(i.get("connected_slaves")));
    }

    /**
     * The replica restarts empty while the primary's snapshot for it is slow (rdb-key-save-delay): a full
     * synchronisation is in progress for about 3 s.
     */
    public synchronized void fullSyncInProgress() {
        touch(Node.PRIMARY);
        touch(Node.REPLICA);
        try (Jedis j = admin(Node.PRIMARY)) {
            fill(j, "lab:sync:", 300, 100);
            j.configSet("rdb-key-save-delay", "10000");
        }
        servers.get(Node.REPLICA).stop();
        startServer(Node.REPLICA);
        await(Node.REPLICA, "master_sync_in_progress:1", i -> "1".equals(i.get("master_sync_in_progress")));
    }

    /**
     * A 16 KiB replication backlog on a primary taking about 3 MiB/s of writes, and a network that drops the
     * replica's link every 600 ms: every reconnection needs a full resync (sync_full keeps rising).
     */
    public synchronized void resyncLoop() {
        touch(Node.PRIMARY);
        touch(Node.REPLICA);
        try (Jedis j = admin(Node.PRIMARY)) {
            j.configSet("repl-backlog-size", "16384");
        }
        startWriter(Node.PRIMARY, "lab:stream:", 32 * 1024, 10, 64);
        Loop killer = new Loop("replica-link-killer", () -> {
            Jedis primary = servers.get(Node.PRIMARY).admin();
            background.add(primary);
            byte[] chunk = new byte[32 * 1024];
            return () -> {
                sleep(600);
                primary.sendCommand(Cmd.CLIENT, "KILL", "TYPE", "replica");
                // write more than the backlog holds while the link is down, so the replica's reconnect cannot
                // continue from the backlog whatever the background writer managed on a loaded machine
                for (int k = 0; k < 4; k++) {
                    primary.set(("lab:burst:" + k).getBytes(java.nio.charset.StandardCharsets.UTF_8), chunk);
                }
            };
        });
        background.add(killer.start());
        long before = Long.parseLong(info(Node.PRIMARY).get("sync_full"));
        await(Node.PRIMARY, "another full resync", i -> Long.parseLong(i.get("sync_full")) >= before + 1);
    }

    /** A primary taking about 100 KiB/s of writes with a 16 KiB backlog (and no link trouble, yet). */
    public synchronized void smallBacklogUnderWrites() {
        touch(Node.PRIMARY);
        touch(Node.REPLICA);
        try (Jedis j = admin(Node.PRIMARY)) {
            j.configSet("repl-backlog-size", "16384");
        }
        startWriter(Node.PRIMARY, "lab:stream:", 10 * 1024, 100, 64);
    }


    // ---------------------------------------------------------------------------------------------
    // Sentinel: a master, its replica and three Sentinels (quorum 2), apart from the other servers so that their
    // faults and restarts never trigger a failover

    /** The name the Sentinels monitor the group's master under. */
    public static final String SENTINEL_MASTER_NAME = "labmaster";
    private static final int SENTINELS = 3;

    /** Starts the Sentinel group if it is not running yet (about 3 s: Sentinels find each other every 2 s). */
    public synchronized void startSentinels() {
        ensureOpen();
        if (sentinelMaster != null) {
            return;
        }
        long t0 = System.nanoTime();
        int[] ports = new int[2 + SENTINELS];
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        servers.values().forEach(srv -> seen.add(srv.port()));
        for (int i = 0; i < ports.length; i++) {
            int p;
            do {
                p = reservePort();
            } while (!seen.add(p));
            ports[i] = p;
        }
        List<String> common = List.of("--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0",
                "--maxmemory", "64mb");
        sentinelMaster = new LabRedisServer(version, "sentinel-master", ports[0], workDir, common, ADMIN_USER, adminPassword);
        List<String> replicaArgs = new ArrayList<>(common);
        replicaArgs.addAll(List.of("--replicaof", host(), Integer.toString(ports[0]), "--masteruser", ADMIN_USER,
                "--masterauth", adminPassword));
        sentinelReplica = new LabRedisServer(version, "sentinel-replica", ports[1], workDir, replicaArgs, ADMIN_USER, adminPassword);
        for (int i = 0; i < SENTINELS; i++) {
            String config = String.join("\n",
                    "sentinel monitor " + SENTINEL_MASTER_NAME + " " + host() + " " + ports[0] + " 2",
                    "sentinel down-after-milliseconds " + SENTINEL_MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + SENTINEL_MASTER_NAME + " 5000",
                    "sentinel auth-user " + SENTINEL_MASTER_NAME + " " + ADMIN_USER,
                    "sentinel auth-pass " + SENTINEL_MASTER_NAME + " " + adminPassword) + "\n";
            sentinels.add(new LabRedisServer(version, "sentinel-" + (i + 1), ports[2 + i], workDir, config));
        }
        startSentinelGroup();
        log.info("Redis Sentinel group up in {} ms: master :{}, replica :{}, sentinels :{} :{} :{}",
                (System.nanoTime() - t0) / 1_000_000, ports[0], ports[1], ports[2], ports[3], ports[4]);
    }

    private void startSentinelGroup() {
        startServer(sentinelMaster);
        startServer(sentinelReplica);
        awaitInfo(sentinelReplica, "replication link up", i -> "up".equals(i.get("master_link_status")));
        for (LabRedisServer s : sentinels) {
            s.start();
        }
        awaitSentinels("3 Sentinels that know each other, the master and its replica", SENTINELS, m ->
                "2".equals(m.get("num-other-sentinels")) && "1".equals(m.get("num-slaves"))
                        && "master".equals(m.get("flags")) && Integer.toString(sentinelMaster.port()).equals(m.get("port")));
        awaitReplicaKnownHealthy(SENTINELS);
    }

    private void restartSentinelGroup() {
        for (LabRedisServer s : sentinels) {
            s.stop();
        }
        sentinelReplica.stop();
        sentinelMaster.stop();
        startSentinelGroup();
        sentinelDirty = false;
    }

    public int sentinelPort(int index) {
        startSentinels();
        return sentinels.get(index).port();
    }

    /** {@code redis-sentinel://127.0.0.1:PORT/labmaster} for Sentinel number {@code index} (0-2). */
    public String sentinelUri(int index) {
        return "redis-sentinel://" + host() + ":" + sentinelPort(index) + "/" + SENTINEL_MASTER_NAME;
    }

    public int sentinelMasterPort() {
        startSentinels();
        return sentinelMaster.port();
    }

    public int sentinelReplicaPort() {
        startSentinels();
        return sentinelReplica.port();
    }

    /** A fresh connection to Sentinel {@code index} (Sentinels have no password in the lab); the caller closes it. */
    public Jedis sentinel(int index) {
        startSentinels();
        return sentinels.get(index).admin();
    }

    /** SENTINEL MASTER labmaster as a map, from Sentinel {@code index}. */
    public Map<String, String> sentinelMasterState(int index) {
        try (Jedis j = sentinel(index)) {
            return pairs((List<?>) j.sendCommand(Cmd.SENTINEL, "MASTER", SENTINEL_MASTER_NAME));
        }
    }

    /** The master's replica may never be promoted (replica-priority 0), then the master dies: o_down, no failover. */
    public synchronized void sentinelMasterDownNoPromotableReplica() {
        startSentinels();
        sentinelDirty = true;
        try (Jedis j = sentinelReplica.admin()) {
            j.configSet("replica-priority", "0");
        }
        sentinelMaster.stop();
        awaitSentinels("o_down", 1, m -> m.get("flags").contains("o_down"));
    }

    /** Two of the three Sentinels stop, then the master dies: the last Sentinel sees s_down but cannot agree o_down. */
    public synchronized void sentinelMasterDownWithoutQuorum() {
        startSentinels();
        sentinelDirty = true;
        sentinels.get(1).stop();
        sentinels.get(2).stop();
        sentinelMaster.stop();
        awaitSentinels("s_down", 1, m -> m.get("flags").contains("s_down"));
        awaitCkquorum(false);
    }

    /** Two of the three Sentinels stop: the last one cannot reach the quorum of 2 (SENTINEL CKQUORUM fails). */
    public synchronized void sentinelsLost() {
        startSentinels();
        sentinelDirty = true;
        sentinels.get(1).stop();
        sentinels.get(2).stop();
        awaitCkquorum(false);
    }

    /** One Sentinel is removed for good (stopped, the others reset): two Sentinels remain and know it. */
    public synchronized void sentinelsReducedToTwo() {
        startSentinels();
        sentinelDirty = true;
        sentinels.get(2).stop();
        for (int i = 0; i < 2; i++) {
            try (Jedis j = sentinels.get(i).admin()) {
                j.sendCommand(Cmd.SENTINEL, "RESET", SENTINEL_MASTER_NAME);
            }
        }
        awaitSentinels("two Sentinels that know each other", 2, m -> "1".equals(m.get("num-other-sentinels"))
                && "1".equals(m.get("num-slaves")));
        // after a reset the replica is rediscovered first and its link state is learnt from the next INFO
        awaitReplicaKnownHealthy(2);
    }

    private void awaitReplicaKnownHealthy(int sentinelCount) {
        await("the replica known healthy by the Sentinels", () -> {
            for (int i = 0; i < sentinelCount; i++) {
                try (Jedis j = sentinels.get(i).admin()) {
                    List<?> replicas = (List<?>) j.sendCommand(Cmd.SENTINEL, "REPLICAS", SENTINEL_MASTER_NAME);
                    boolean healthy = replicas.stream().map(r -> pairs((List<?>) r)).anyMatch(r -> "slave".equals(r.get("flags"))
                            && "ok".equals(r.get("master-link-status")));
                    if (!healthy) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** The master's only replica dies: the Sentinels flag it s_down. */
    public synchronized void sentinelReplicaDown() {
        startSentinels();
        sentinelDirty = true;
        sentinelReplica.stop();
        await("the replica flagged s_down", () -> {
            try (Jedis j = sentinels.get(0).admin()) {
                List<?> replicas = (List<?>) j.sendCommand(Cmd.SENTINEL, "REPLICAS", SENTINEL_MASTER_NAME);
                return replicas.stream().map(r -> pairs((List<?>) r)).anyMatch(r -> r.get("flags").contains("s_down"));
            }
        });
    }

    /** The master dies and the Sentinels promote its replica; the old master stays down. */
    public synchronized void sentinelFailover() {
        startSentinels();
        sentinelDirty = true;
        sentinelMaster.stop();
        awaitSentinels("the replica promoted", 1, m -> Integer.toString(sentinelReplica.port()).equals(m.get("port"))
                && "master".equals(m.get("flags")));
    }

    /**
     * The replica refuses to be promoted (its ACL denies REPLICAOF to the user the Sentinels log in as), then the
     * master dies: the Sentinels agree, elect a leader and start a failover that waits for a promotion that never
     * comes, until failover-timeout (5 s) aborts it. Returns once a Sentinel shows failover_in_progress, with the
     * index of that Sentinel (the elected leader: only it runs, and flags, the failover).
     */
    public synchronized int sentinelFailoverStuck() {
        startSentinels();
        sentinelDirty = true;
        try (Jedis j = sentinelReplica.admin()) {
            j.sendCommand(Cmd.ACL, "SETUSER", ADMIN_USER, "-replicaof", "-slaveof");
        }
        sentinelMaster.stop();
        int[] leader = {-1};
        await("a Sentinel running the failover", () -> {
            for (int i = 0; i < SENTINELS; i++) {
                if (sentinelMasterState(i).getOrDefault("flags", "").contains("failover_in_progress")) {
                    leader[0] = i;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    /**
     * Sentinel 3 (index 2) is re-pointed by hand: it forgets the master and monitors the replica's address under the
     * same name (SENTINEL REMOVE + MONITOR), while the other two keep the real master. Clients asking it get the
     * replica's address; it stays known to the others, and being alone it cannot fail anything over.
     */
    public synchronized void sentinelAddressDisagreement() {
        startSentinels();
        sentinelDirty = true;
        try (Jedis j = sentinels.get(2).admin()) {
            j.sendCommand(Cmd.SENTINEL, "REMOVE", SENTINEL_MASTER_NAME);
            j.sendCommand(Cmd.SENTINEL, "MONITOR", SENTINEL_MASTER_NAME, host(), Integer.toString(sentinelReplica.port()), "2");
            j.sendCommand(Cmd.SENTINEL, "SET", SENTINEL_MASTER_NAME, "auth-user", ADMIN_USER, "auth-pass", adminPassword);
        }
        String replicaAddr = Integer.toString(sentinelReplica.port());
        await("Sentinel 3 answering with the replica's address", () -> {
            try (Jedis j = sentinels.get(2).admin()) {
                List<?> addr = (List<?>) j.sendCommand(Cmd.SENTINEL, "GET-MASTER-ADDR-BY-NAME", SENTINEL_MASTER_NAME);
                return addr != null && replicaAddr.equals(text(addr.get(1)));
            }
        });
    }

    private void awaitCkquorum(boolean ok) {
        await("CKQUORUM " + (ok ? "OK" : "failing"), () -> {
            try (Jedis j = sentinels.get(0).admin()) {
                j.sendCommand(Cmd.SENTINEL, "CKQUORUM", SENTINEL_MASTER_NAME);
                return ok;
            } catch (JedisException e) {
                return !ok;
            }
        });
    }

    private void awaitSentinels(String what, int count, Predicate<Map<String, String>> shows) {
        await(what, () -> {
            for (int i = 0; i < count; i++) {
                if (!shows.test(sentinelMasterState(i))) {
                    return false;
                }
            }
            return true;
        });
    }

    private void awaitInfo(LabRedisServer server, String what, Predicate<Map<String, String>> shows) {
        await(what, () -> {
            try (Jedis j = server.admin()) {
                return shows.test(info(j));
            }
        });
    }

    private static void await(String what, java.util.function.BooleanSupplier shows) {
        long deadline = System.nanoTime() + FAULT_DEADLINE.toNanos();
        RuntimeException error = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                if (shows.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                error = e;
            }
            sleep(50);
        }
        throw new IllegalStateException("the lab's Sentinel group did not show " + what + " within "
                + FAULT_DEADLINE.toSeconds() + " s" + (error == null ? "" : " (" + error.getMessage() + ")"));
    }

    /** A RESP2 flat array of name, value, name, value... as a map. */
    static Map<String, String> pairs(List<?> flat) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put(text(flat.get(i)), text(flat.get(i + 1)));
        }
        return out;
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }


    // ---------------------------------------------------------------------------------------------
    // Cluster: three masters (slots 0-5460, 5461-10922, 10923-16383) with one replica each

    private static final int CLUSTER_NODES = 6;

    /** Starts the cluster if it is not running yet (about 2-4 s). */
    public synchronized void startCluster() {
        ensureOpen();
        if (!clusterNodes.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        java.util.Set<Integer> used = new java.util.HashSet<>();
        servers.values().forEach(srv -> used.add(srv.port()));
        sentinels.forEach(srv -> used.add(srv.port()));
        for (int i = 0; i < CLUSTER_NODES; i++) {
            int port = clusterPort(used);
            List<String> args = List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "1000", "--save", "", "--appendonly", "no", "--maxmemory", "64mb",
                    "--masteruser", ADMIN_USER, "--masterauth", adminPassword, "--repl-diskless-sync-delay", "0");
            clusterNodes.add(new LabRedisServer(version, "cluster-" + (i + 1), port, workDir, args, ADMIN_USER, adminPassword));
        }
        formCluster();
        log.info("Redis Cluster up in {} ms: nodes {}", (System.nanoTime() - t0) / 1_000_000,
                clusterNodes.stream().map(n -> ":" + n.port()).toList());
    }

    /** A free port whose cluster bus port (port + 10000) is free too. */
    private static int clusterPort(java.util.Set<Integer> used) {
        while (true) {
            int p = reservePort();
            if (p + 10_000 > 65_535 || used.contains(p) || used.contains(p + 10_000) || !reserve(p + 10_000)) {
                continue;
            }
            try (java.net.ServerSocket bus = new java.net.ServerSocket()) {
                bus.bind(new InetSocketAddress(host(), p + 10_000));
            } catch (IOException e) {
                continue;
            }
            used.add(p);
            used.add(p + 10_000);
            return p;
        }
    }

    private void formCluster() {
        for (LabRedisServer n : clusterNodes) {
            startServer(n);
        }
        try (Jedis first = clusterNodes.get(0).admin()) {
            for (int i = 1; i < CLUSTER_NODES; i++) {
                first.sendCommand(Cmd.CLUSTER, "MEET", host(), Integer.toString(clusterNodes.get(i).port()));
            }
        }
        awaitCluster("all 6 nodes known", i -> "6".equals(i.get("cluster_known_nodes")));
        int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, 16383}};
        for (int m = 0; m < 3; m++) {
            List<String> args = new ArrayList<>(List.of("ADDSLOTS"));
            for (int slot = ranges[m][0]; slot <= ranges[m][1]; slot++) {
                args.add(Integer.toString(slot));
            }
            try (Jedis j = clusterNodes.get(m).admin()) {
                j.sendCommand(Cmd.CLUSTER, args.toArray(String[]::new));
            }
        }
        for (int m = 0; m < 3; m++) {
            String masterId = clusterNodeId(m);
            LabRedisServer replica = clusterNodes.get(m + 3);
            await("node " + replica.port() + " knows its master", () -> {
                try (Jedis j = replica.admin()) {
                    return text(j.sendCommand(Cmd.CLUSTER, "NODES")).contains(masterId);
                }
            });
            try (Jedis j = replica.admin()) {
                j.sendCommand(Cmd.CLUSTER, "REPLICATE", masterId);
            }
        }
        awaitCluster("cluster_state:ok with 3 masters", i -> "ok".equals(i.get("cluster_state"))
                && "16384".equals(i.get("cluster_slots_ok")) && "3".equals(i.get("cluster_size")));
        for (int m = 3; m < CLUSTER_NODES; m++) {
            LabRedisServer replica = clusterNodes.get(m);
            awaitInfo(replica, "replica " + replica.port() + " linked", i -> "up".equals(i.get("master_link_status")));
        }
        awaitCluster("every master with a replica", i -> true);
    }

    private void restartCluster() {
        for (LabRedisServer n : clusterNodes) {
            n.stop();
        }
        formCluster();
        clusterDirty = false;
    }

    private String clusterNodeId(int index) {
        try (Jedis j = clusterNodes.get(index).admin()) {
            return text(j.sendCommand(Cmd.CLUSTER, "MYID"));
        }
    }

    private void awaitCluster(String what, Predicate<Map<String, String>> shows) {
        await(what, () -> {
            for (LabRedisServer n : clusterNodes) {
                if (!n.alive()) {
                    continue;
                }
                try (Jedis j = n.admin()) {
                    if (!shows.test(parseInfo(text(j.sendCommand(Cmd.CLUSTER, "INFO"))))) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** Port of cluster node {@code index}: 0-2 are the masters, 3-5 their replicas (3 replicates 0, and so on). */
    public int clusterPort(int index) {
        startCluster();
        return clusterNodes.get(index).port();
    }

    /** {@code redis://monitor@127.0.0.1:PORT} of cluster node {@code index}. */
    public String clusterUri(int index) {
        return "redis://" + MONITOR_USER + "@" + host() + ":" + clusterPort(index);
    }

    /** Creates or replaces an ACL user on every cluster node (ACL users are per node). */
    public void createClusterUser(String user, String password, String rules) {
        startCluster();
        for (LabRedisServer n : clusterNodes) {
            if (n.alive()) {
                try (Jedis j = n.admin()) {
                    setUser(j, user, password, rules);
                }
            }
        }
    }

    /** A master and its replica both die: a third of the slots has no node, cluster_state:fail. */
    public synchronized void clusterShardLost() {
        startCluster();
        clusterDirty = true;
        clusterNodes.get(2).stop();
        clusterNodes.get(5).stop();
        awaitCluster("cluster_state:fail", i -> "fail".equals(i.get("cluster_state")) && !"0".equals(i.get("cluster_slots_fail")));
    }

    /** A master dies and its replica takes over: the cluster is ok, the new master has no replica, the old one is failed. */
    public synchronized void clusterFailover() {
        startCluster();
        clusterDirty = true;
        clusterNodes.get(1).stop();
        String promoted = ":" + clusterNodes.get(4).port() + "@";
        String old = ":" + clusterNodes.get(1).port() + "@";
        await("the replica promoted and the old master flagged fail", () -> {
            try (Jedis j = clusterNodes.get(0).admin()) {
                List<String> lines = text(j.sendCommand(Cmd.CLUSTER, "NODES")).lines().toList();
                boolean newMaster = lines.stream().anyMatch(l -> l.contains(promoted) && l.split(" ")[2].contains("master")
                        && l.split(" ").length > 8);
                boolean oldFailed = lines.stream().anyMatch(l -> l.contains(old) && List.of(l.split(" ")[2].split(",")).contains("fail"));
                return newMaster && oldFailed;
            }
        });
        awaitCluster("cluster_state:ok", i -> "ok".equals(i.get("cluster_state")) && "16384".equals(i.get("cluster_slots_ok")));
    }

    /**
     * The cluster bus port of replica node 6 (index 5) is announced as a loopback port where nothing listens
     * (cluster-announce-bus-port), as if a firewall let its client port through but not its bus port: the other
     * nodes reconnect their bus links there, fail, and flag the node failing. Its client port keeps answering.
     */
    public synchronized void clusterBusPortUnreachable() {
        startCluster();
        clusterDirty = true;
        LabRedisServer node = clusterNodes.get(5);
        String closed = Integer.toString(Ports.closedPort());
        try (Jedis j = node.admin()) {
            j.configSet("cluster-announce-bus-port", closed);
        }
        String addr = ":" + node.port() + "@" + closed;
        await("node " + node.port() + " announced with bus port " + closed, () -> {
            try (Jedis j = clusterNodes.get(0).admin()) {
                return text(j.sendCommand(Cmd.CLUSTER, "NODES")).contains(addr);
            }
        });
    }

    /**
     * A second, separate cluster of two masters (slots 0-8191 and 8192-16383) and no replicas, started by this
     * call and removed by {@link #heal()}: a real cluster that is too small to fail a master over.
     */
    public synchronized void twoMasterCluster() {
        ensureOpen();
        if (!smallCluster.isEmpty()) {
            return;
        }
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            int port = clusterPort(used);
            smallCluster.add(new LabRedisServer(version, "small-cluster-" + (i + 1), port, workDir, List.of("--cluster-enabled",
                    "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000", "--save", "",
                    "--appendonly", "no", "--maxmemory", "64mb"), ADMIN_USER, adminPassword));
        }
        for (LabRedisServer n : smallCluster) {
            startServer(n);
        }
        try (Jedis first = smallCluster.get(0).admin()) {
            first.sendCommand(Cmd.CLUSTER, "MEET", host(), Integer.toString(smallCluster.get(1).port()));
        }
        int[][] ranges = {{0, 8191}, {8192, 16383}};
        for (int m = 0; m < 2; m++) {
            List<String> args = new ArrayList<>(List.of("ADDSLOTS"));
            for (int slot = ranges[m][0]; slot <= ranges[m][1]; slot++) {
                args.add(Integer.toString(slot));
            }
            try (Jedis j = smallCluster.get(m).admin()) {
                j.sendCommand(Cmd.CLUSTER, args.toArray(String[]::new));
            }
        }
        await("the two-master cluster ok", () -> {
            for (LabRedisServer n : smallCluster) {
                try (Jedis j = n.admin()) {
                    Map<String, String> i = parseInfo(text(j.sendCommand(Cmd.CLUSTER, "INFO")));
                    if (!"ok".equals(i.get("cluster_state")) || !"2".equals(i.get("cluster_size"))) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** {@code redis://monitor@127.0.0.1:PORT} of node {@code index} (0 or 1) of {@link #twoMasterCluster()}. */
    public String twoMasterClusterUri(int index) {
        return "redis://" + MONITOR_USER + "@" + host() + ":" + smallCluster.get(index).port();
    }

    /** Slot 0 is removed from its master (CLUSTER DELSLOTS 0): one slot is served by nobody. */
    public synchronized void clusterSlotUnassigned() {
        startCluster();
        clusterDirty = true;
        try (Jedis j = clusterNodes.get(0).admin()) {
            j.sendCommand(Cmd.CLUSTER, "DELSLOTS", "0");
        }
        await("slot 0 unassigned on node 1", () -> {
            try (Jedis j = clusterNodes.get(0).admin()) {
                return "16383".equals(parseInfo(text(j.sendCommand(Cmd.CLUSTER, "INFO"))).get("cluster_slots_assigned"));
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // TLS: a standalone server that also listens with TLS (Redis built with TLS: Debian's 7.x; not embedded 6.2)

    /**
     * The TLS port of the lab's TLS server, started on first use: a self-signed RSA certificate for 127.0.0.1 made
     * with the JDK's keytool (no openssl needed), {@code tls-auth-clients no}, listening on 127.0.0.1 and 127.0.0.2
     * (which the certificate does not name). The server's cleartext port carries the lab's own admin connections.
     */
    public synchronized int tlsPort() {
        ensureOpen();
        if (tlsServer == null) {
            Path dir = workDir.resolve("tls");
            Path[] files = LabTls.selfSigned(dir);
            tlsCa = files[0];
            tlsPort = reservePort();
            tlsServer = new LabRedisServer(version, "tls", reservePort(), workDir, List.of("--save", "", "--appendonly", "no",
                    "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru", "--tls-port", Integer.toString(tlsPort),
                    "--tls-cert-file", files[0].toString(), "--tls-key-file", files[1].toString(),
                    "--tls-ca-cert-file", files[0].toString(), "--tls-auth-clients", "no",
                    // also on 127.0.0.2, an address the certificate does not name
                    "--bind", host(), "127.0.0.2"), ADMIN_USER, adminPassword);
            startServer(tlsServer);
        }
        return tlsPort;
    }

    /** The PEM certificate the TLS server presents (self-signed, so also the CA to trust). */
    public synchronized Path tlsCaFile() {
        tlsPort();
        return tlsCa;
    }

    /** {@code rediss://monitor@127.0.0.1:TLSPORT?cacert=FILE}. */
    public String tlsUri() {
        return "rediss://" + MONITOR_USER + "@" + host() + ":" + tlsPort() + "?cacert=" + tlsCaFile();
    }

    /** The cleartext port of the TLS server. */
    public synchronized int tlsServerPlainPort() {
        tlsPort();
        return tlsServer.port();
    }

    // ---------------------------------------------------------------------------------------------
    // Healing

    /** Stops every background client and restarts each server a fault touched; returns when all are healthy. */
    public synchronized void heal() {
        ensureOpen();
        for (AutoCloseable c : background) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing a background client", e);
            }
        }
        background.clear();
        boolean relink = dirty.contains(Node.PRIMARY) || dirty.contains(Node.REPLICA);
        for (Node node : Node.values()) {
            LabRedisServer s = servers.get(node);
            if (dirty.contains(node) || !s.alive()) {
                s.stop();
            }
        }
        for (Node node : Node.values()) {
            if (!servers.get(node).alive()) {
                startServer(node);
            }
        }
        dirty.clear();
        if (relink) {
            awaitReplicaLinked();
        }
        if (sentinelDirty) {
            restartSentinelGroup();
        }
        if (clusterDirty) {
            restartCluster();
        }
        for (LabRedisServer n : smallCluster) {
            n.stop();
        }
        smallCluster.clear();
        try (Jedis j = admin(Node.STANDALONE)) {
            j.slowlogReset();
            j.sendCommand(Cmd.LATENCY, "RESET");
        }
    }

    private void awaitReplicaLinked() {
        int primary = port(Node.PRIMARY);
        await(Node.REPLICA, "replication link up", i -> "up".equals(i.get("master_link_status"))
                && Integer.toString(primary).equals(i.get("master_port")) && "0".equals(i.get("master_sync_in_progress")));
        await(Node.PRIMARY, "one online replica", i -> "1".equals(i.get("connected_slaves"))
                && i.getOrDefault("slave0", "").contains("state=online"));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (AutoCloseable c : background) {
            try {
                c.close();
            } catch (Exception ignored) {
                // going away
            }
        }
        List<LabRedisServer> all = new ArrayList<>(servers.values());
        all.addAll(sentinels);
        all.addAll(clusterNodes);
        all.addAll(smallCluster);
        if (tlsServer != null) {
            all.add(tlsServer);
        }
        if (sentinelMaster != null) {
            all.add(sentinelMaster);
            all.add(sentinelReplica);
        }
        for (LabRedisServer s : all) {
            try {
                s.stop();
            } catch (RuntimeException e) {
                log.warn("could not stop the lab's {} redis", s.name(), e);
            }
        }
        if (ownsWorkDir) {
            deleteRecursively(workDir);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Plumbing

    private enum Cmd implements redis.clients.jedis.commands.ProtocolCommand {
        ACL, REPLICAOF, DEBUG, CLIENT, LATENCY, SENTINEL, CLUSTER;

        @Override
        public byte[] getRaw() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Node touch(Node node) {
        ensureOpen();
        dirty.add(node);
        return node;
    }

    private void config(Node target, String name, String value) {
        Node node = touch(target);
        try (Jedis j = admin(node)) {
            j.configSet(name, value);
        }
    }

    private void acl(Node target, String... args) {
        Node node = touch(target);
        try (Jedis j = admin(node)) {
            j.sendCommand(Cmd.ACL, args);
        }
    }

    private void startWriter(Node node, String prefix, int valueBytes, long everyMillis, int keySpace) {
        String value = "w".repeat(valueBytes);
        long[] n = {0};
        Loop writer = new Loop("writer-" + prefix, () -> {
            Jedis j = servers.get(node).admin();
            background.add(j);
            return () -> {
                try {
                    j.set(prefix + (n[0]++ % keySpace), value);
                } catch (JedisException e) {
                    if (e.getMessage() == null || !(e.getMessage().startsWith("OOM") || e.getMessage().startsWith("MISCONF"))) {
                        throw e;
                    }
                }
                sleep(everyMillis);
            };
        });
        background.add(writer.start());
    }

    private static void fill(Jedis j, String prefix, int keys, int valueBytes) {
        String value = "v".repeat(valueBytes);
        Pipeline p = j.pipelined();
        for (int i = 0; i < keys; i++) {
            p.set(prefix + i, value);
            if (i % 10_000 == 9_999) {
                p.sync();
            }
        }
        p.sync();
    }

    private static long connectedClients(Jedis j) {
        return Long.parseLong(parseInfo(j.info("clients")).get("connected_clients"));
    }

    /** Connects without the pool of a client library, sends PING, reads one line: what a retrying app does. */
    private static void rawPing(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host(), port), 1_000);
            s.setSoTimeout(1_000);
            s.getOutputStream().write(resp("PING").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            in.read(new byte[256]);
        } catch (IOException ignored) {
            // a rejected client sees the error, or a reset
        }
    }

    private static String resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    /** {@code name=value} out of a CLIENT LIST line or an INFO field such as {@code ip=..,lag=3}. */
    private static long field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return Long.parseLong(part.substring(name.length() + 1));
            }
        }
        return -1;
    }

    static Map<String, String> parseInfo(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int c = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || c < 0) {
                continue;
            }
            out.put(line.substring(0, c), line.substring(c + 1).trim());
        }
        return out;
    }

    private void await(Node node, String what, Predicate<Map<String, String>> shows) {
        long deadline = System.nanoTime() + FAULT_DEADLINE.toNanos();
        Map<String, String> last = Map.of();
        RuntimeException error = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                last = info(node);
                if (shows.test(last)) {
                    return;
                }
            } catch (RuntimeException e) {
                error = e;
            }
            sleep(25);
        }
        throw new IllegalStateException("the lab's " + node + " redis did not show " + what + " within "
                + FAULT_DEADLINE.toSeconds() + " s" + (error == null ? "" : " (" + error.getMessage() + ")")
                + "; log: " + servers.get(node).log());
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the Redis lab is closed");
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.debug("could not delete {}", p, e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete the Redis lab work dir {}", dir, e);
        }
    }

    /** Connections a fault holds open; closing them ends the fault. */
    private static final class HeldConnections implements AutoCloseable {
        private final List<Jedis> connections = new CopyOnWriteArrayList<>();

        void add(Jedis j) {
            connections.add(j);
        }

        @Override
        public void close() {
            for (Jedis j : connections) {
                try {
                    j.close();
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
        }
    }

    /** A daemon thread running one step again and again until closed; a failing step ends the loop quietly. */
    private static final class Loop implements AutoCloseable {
        interface Setup {
            Step open() throws Exception;
        }

        interface Step {
            void run() throws Exception;
        }

        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Loop(String name, Setup setup) {
            this.thread = new Thread(() -> {
                try {
                    Step step = setup.open();
                    while (!stop.get()) {
                        step.run();
                    }
                } catch (Exception e) {
                    if (!stop.get()) {
                        log.debug("lab loop {} ended: {}", name, e.toString());
                    }
                }
            }, "opsdoc-redis-lab-" + name);
            thread.setDaemon(true);
        }

        Loop start() {
            thread.start();
            return this;
        }

        @Override
        public void close() {
            stop.set(true);
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
