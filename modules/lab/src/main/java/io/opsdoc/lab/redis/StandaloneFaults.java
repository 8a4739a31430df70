package io.opsdoc.lab.redis;

import io.opsdoc.lab.redis.BackgroundClients.HeldConnections;
import io.opsdoc.lab.redis.RedisLab.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Faults of the standalone server: memory, clients, slow commands, persistence and access. Each leaves its fault in
 * place (background clients keep it going where the fault is a rate, such as rejected connections or OOM errors) and
 * returns once the server shows it; {@link RedisLab#heal()} undoes it.
 */
public final class StandaloneFaults {
    private static final Logger log = LoggerFactory.getLogger(StandaloneFaults.class);
    private static final Node NODE = Node.STANDALONE;
    private static final int LOW_MAXCLIENTS = 24;

    private final RedisServers servers;
    private final NodeServers nodes;

    StandaloneFaults(RedisServers servers, NodeServers nodes) {
        this.servers = servers;
        this.nodes = nodes;
    }

    private Jedis admin() {
        return nodes.admin(nodes.touch(NODE));
    }

    /**
     * maxmemory lowered to just above what is used, with {@code noeviction}, filled until writes fail with OOM; an
     * application thread keeps trying to write (and failing) every 100 ms.
     */
    public void memoryFullNoEviction() {
        try (Jedis j = admin()) {
            long used = Long.parseLong(RedisWire.parseInfo(j.info("memory")).get("used_memory"));
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
        servers.startWriter(nodes.server(NODE), "lab:app:", 64 * 1024, 100, 100_000);
        nodes.await(NODE, "errorstat_OOM > 0", i -> i.getOrDefault("errorstat_OOM", "").startsWith("count="));
    }

    /** A small maxmemory with allkeys-lru and an application that keeps writing: keys are evicted continuously. */
    public void evicting() {
        try (Jedis j = admin()) {
            long used = Long.parseLong(RedisWire.parseInfo(j.info("memory")).get("used_memory"));
            j.configSet("maxmemory", Long.toString(used + 4 * 1024 * 1024));
            j.configSet("maxmemory-policy", "allkeys-lru");
        }
        servers.startWriter(nodes.server(NODE), "lab:cache:", 64 * 1024, 20, 100_000);
        nodes.await(NODE, "evicted_keys > 0", i -> Long.parseLong(i.get("evicted_keys")) > 0);
    }

    /**
     * A client keeps running a Lua script that busy-waits {@code each} on the server (every 2 x each), so every other
     * client waits behind it while it runs.
     */
    public void slowScript(Duration each) {
        nodes.touch(NODE);
        String script = "local s = redis.call('TIME') local t0 = s[1] * 1000000 + s[2] "
                + "repeat local n = redis.call('TIME') until (n[1] * 1000000 + n[2]) - t0 >= tonumber(ARGV[1]) return 1";
        String micros = Long.toString(each.toNanos() / 1000);
        servers.background.loop("slow-script", () -> {
            Jedis j = servers.background.keep(nodes.server(NODE).connect(RedisServers.ADMIN_USER, servers.adminPassword,
                    60_000));
            return () -> {
                j.eval(script, 0, micros);
                RedisWire.sleep(each.toMillis());
            };
        });
        RedisServers.await("an EVAL in SLOWLOG", () -> {
            try (Jedis j = nodes.admin(NODE)) {
                return j.slowlogLen() > 0;
            }
        });
    }

    /**
     * maxclients lowered to {@value #LOW_MAXCLIENTS}; idle clients hold all slots but one. Whenever another client
     * (a probe) takes that last slot, an application thread tries to connect and is rejected, every 50 ms.
     */
    public void clientsExhausted() {
        nodes.touch(NODE);
        LabRedisServer server = nodes.server(NODE);
        HeldConnections held = servers.background.keep(new HeldConnections());
        Jedis watcher = held.add(server.admin());
        watcher.configSet("maxclients", Integer.toString(LOW_MAXCLIENTS));
        while (RedisWire.connectedClients(watcher) < LOW_MAXCLIENTS - 1) {
            held.add(server.admin()).ping();
        }
        servers.background.loop("rejected-client", () -> () -> {
            if (RedisWire.connectedClients(watcher) >= LOW_MAXCLIENTS) {
                RedisWire.rawPing(RedisServers.HOST, server.port());
            }
            RedisWire.sleep(50);
        });
    }

    /** A queue consumer blocked in BLPOP on an empty list. */
    public void blockedClient() {
        nodes.touch(NODE);
        HeldConnections held = servers.background.keep(new HeldConnections());
        Jedis consumer = held.add(nodes.server(NODE).connect(RedisServers.ADMIN_USER, servers.adminPassword, 0));
        Thread t = new Thread(() -> {
            try {
                consumer.blpop(0, "lab:empty-queue");
            } catch (RuntimeException expected) {
                // heal closes the connection
            }
        }, "opsdoc-redis-lab-blpop");
        t.setDaemon(true);
        t.start();
        nodes.await(NODE, "blocked_clients = 1", i -> "1".equals(i.get("blocked_clients")));
    }

    /**
     * A client asks for a 4 MiB value {@code replies} times without reading the answers: the replies pile up in its
     * output buffer on the server (the normal client class has no limit by default).
     */
    public void outputBufferPileUp(int replies) {
        try (Jedis j = admin()) {
            j.set("lab:big", "b".repeat(4 * 1024 * 1024));
        }
        Socket socket = servers.background.keep(new Socket());
        try {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(RedisServers.HOST, nodes.port(NODE)), 2_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder cmds = new StringBuilder(RedisWire.resp("AUTH", RedisServers.ADMIN_USER, servers.adminPassword))
                    .append(RedisWire.resp("CLIENT", "SETNAME", "lab-slow-reader"));
            for (int i = 0; i < replies; i++) {
                cmds.append(RedisWire.resp("GET", "lab:big"));
            }
            out.write(cmds.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the slow reader", e);
        }
        long want = (long) (replies - 4) * 4 * 1024 * 1024;
        RedisServers.await("a client with omem > " + want, () -> {
            try (Jedis j = nodes.admin(NODE)) {
                return j.clientList().lines().anyMatch(l -> l.contains("name=lab-slow-reader")
                        && RedisWire.field(l, "omem") > want);
            }
        });
    }

    /** BGSAVE of 300 keys with a 10 ms delay per key (rdb-key-save-delay): a fork child writes for about 3 s. */
    public void backgroundSaveRunning() {
        try (Jedis j = admin()) {
            RedisWire.fill(j, "lab:save:", 300, 100);
            j.configSet("rdb-key-save-delay", "10000");
            j.bgsave();
        }
        nodes.await(NODE, "rdb_bgsave_in_progress:1", i -> "1".equals(i.get("rdb_bgsave_in_progress")));
    }

    /** About {@code megabytes} MiB of small keys, then BGSAVE: a real fork of a bigger process (latest_fork_usec). */
    public void forkOfBigDataset(int megabytes) {
        try (Jedis j = admin()) {
            j.configSet("maxmemory", "0");
            // no AOF: its automatic rewrite would fork again and replace latest_fork_usec with its own
            j.configSet("appendonly", "no");
            RedisWire.fill(j, "lab:fork:", megabytes * 1024, 1000);
        }
        // filling that much trips the automatic save points, whose child would make our BGSAVE fail: let it finish
        nodes.await(NODE, "no fork child running", i -> "0".equals(i.get("rdb_bgsave_in_progress"))
                && "0".equals(i.get("aof_rewrite_in_progress")));
        try (Jedis j = nodes.admin(NODE)) {
            j.bgsave();
        }
        nodes.await(NODE, "a finished BGSAVE", i -> "0".equals(i.get("rdb_bgsave_in_progress"))
                && Long.parseLong(i.get("latest_fork_usec")) > 0 && "ok".equals(i.get("rdb_last_bgsave_status")));
    }

    /**
     * Many small keys, then 90 % of them deleted: the allocator keeps the freed pages, so the process's resident
     * memory stays far above what Redis uses (mem_fragmentation_ratio well above 1).
     */
    public void fragmented(int megabytes) {
        try (Jedis j = admin()) {
            j.configSet("maxmemory", "0");
            j.configSet("activedefrag", "no");
            int keys = megabytes * 1024 * 1024 / 200;
            RedisWire.fill(j, "lab:frag:", keys, 100);
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
    public void maxmemoryUnset() {
        nodes.config(NODE, "maxmemory", "0");
    }

    /** maxmemory 1 TiB: a limit larger than the machine's memory. */
    public void maxmemoryAboveSystemMemory() {
        nodes.config(NODE, "maxmemory", Long.toString(1L << 40));
    }

    /** volatile-lru with data that has no TTL: the policy has nothing it may evict. */
    public void volatilePolicyWithoutTtls() {
        try (Jedis j = admin()) {
            j.configSet("maxmemory-policy", "volatile-lru");
            RedisWire.fill(j, "lab:nottl:", 100, 100);
        }
    }

    /** The default user loses its password: anyone who can connect gets in without AUTH. */
    public void noPassword() {
        nodes.acl(NODE, "SETUSER", "default", "nopass");
    }

    /** protected-mode off on top of {@link #noPassword()}. */
    public void protectedModeOff() {
        noPassword();
        nodes.config(NODE, "protected-mode", "no");
    }

    /** The default user may run every command again, FLUSHALL, KEYS and CONFIG included. */
    public void dangerousCommandsAllowed() {
        nodes.acl(NODE, "SETUSER", "default", "+@all");
    }

    /** The data directory becomes /proc, where nothing can be created: BGSAVE fails (and writes stop: MISCONF). */
    public void bgsaveFails() {
        try (Jedis j = admin()) {
            j.set("lab:k", "v");
            j.configSet("dir", "/proc");
            j.bgsave();
        }
        nodes.await(NODE, "rdb_last_bgsave_status:err", i -> "err".equals(i.get("rdb_last_bgsave_status"))
                && "0".equals(i.get("rdb_bgsave_in_progress")));
    }

    /** As {@link #bgsaveFails()} for BGREWRITEAOF: aof_last_bgrewrite_status:err. */
    public void aofRewriteFails() {
        try (Jedis j = admin()) {
            j.set("lab:k", "v");
            j.configSet("dir", "/proc");
            try {
                j.bgrewriteaof();
            } catch (JedisException e) {
                // Redis 7 (multi-part AOF) first opens a new incremental file in the parent, fails at once and says so
                log.debug("BGREWRITEAOF refused: {}", e.getMessage());
            }
        }
        nodes.await(NODE, "aof_last_bgrewrite_status:err", i -> "err".equals(i.get("aof_last_bgrewrite_status"))
                && "0".equals(i.get("aof_rewrite_in_progress")));
    }

    /**
     * The standalone server restarts with a file size limit of 1 MiB (RLIMIT_FSIZE, SIGXFSZ ignored), then takes 2 MiB
     * of writes: the kernel refuses the AOF write past the limit (EFBIG, a short write, as on a full disk), so
     * aof_last_write_status turns err and the server answers writes with MISCONF. A file size limit is used because
     * it holds for root too, where a read-only directory or file would not, and needs no mount privilege.
     */
    public void aofWriteFails() {
        nodes.server(NODE).limitFileSizeOnNextStart(1024 * 1024);
        nodes.restart(NODE);
        String value = "a".repeat(64 * 1024);
        try (Jedis j = nodes.admin(NODE)) {
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
        nodes.await(NODE, "aof_last_write_status:err", i -> "err".equals(i.get("aof_last_write_status")));
    }

    /** No RDB save points and no AOF on the given server (the standalone one, or the primary that has a replica). */
    public void noPersistence(Node target) {
        nodes.touch(target);
        try (Jedis j = nodes.admin(target)) {
            j.configSet("save", "");
            j.configSet("appendonly", "no");
        }
    }

    /** appendfsync always / everysec / no. */
    public void appendfsync(String policy) {
        nodes.config(NODE, "appendfsync", policy);
    }

    /** RDB only (AOF off) and 50 writes since the last snapshot. */
    public void unsavedChanges() {
        try (Jedis j = admin()) {
            j.configSet("appendonly", "no");
            RedisWire.fill(j, "lab:unsaved:", 50, 10);
        }
    }
    /**
     * An application reading the cache for the rest of the scenario: batches of 50 GETs every 20 ms (about 2,500
     * lookups a second, far above any min-lookups over a window of a second or more), of keys that exist when
     * {@code present}, else of keys nobody ever wrote. The traffic runs until heal, so every sampling window sees it;
     * returns once the server has counted the first lookups of the kind asked for.
     */
    public void readTraffic(boolean present) {
        nodes.touch(NODE);
        int keys = 100;
        if (present) {
            try (Jedis j = admin()) {
                RedisWire.fill(j, "lab:hot:", keys, 64);
            }
        }
        String prefix = present ? "lab:hot:" : "lab:absent:";
        String counter = present ? "keyspace_hits" : "keyspace_misses";
        long before = Long.parseLong(nodes.info(NODE).getOrDefault(counter, "0"));
        long[] n = {0};
        servers.background.loop("reader-" + (present ? "hits" : "misses"), () -> {
            Jedis j = servers.background.keep(nodes.server(NODE).admin());
            return () -> {
                Pipeline pipe = j.pipelined();
                for (int i = 0; i < 50; i++) {
                    pipe.get(prefix + (n[0]++ % keys));
                }
                pipe.sync();
                RedisWire.sleep(20);
            };
        });
        nodes.await(NODE, counter + " rising by 500", i -> Long.parseLong(i.getOrDefault(counter, "0")) > before + 500);
    }
}
