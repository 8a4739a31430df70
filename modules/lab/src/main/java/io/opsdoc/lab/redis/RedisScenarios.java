package io.opsdoc.lab.redis;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.Ports;
import io.opsdoc.lab.redis.RedisLab.Node;
import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The seven Redis checks against real servers: every code from a real fault, read as the lab's 'monitor' user, on
 * Redis 6.2 (embedded, always there) and Redis 7 (Debian's redis-server). The Sentinel, Cluster and TLS scenarios
 * are in {@link RedisGroupScenarios}.
 */
public final class RedisScenarios implements ScenarioSet<RedisLab> {
    static final String TIMEOUTS = "redis-timeouts";
    static final String MEMORY = "redis-memory";
    static final String PERSISTENCE = "redis-persistence";
    static final String REPLICATION = "redis-replication";
    static final String SECURITY = "redis-security";
    static final String HIT_RATIO = "redis-hit-ratio";
    /**
     * redis-timeouts' client-timeout where RTT_HIGH is not what a healthy scenario is about: it warns at a tenth of
     * it, and a machine running parallel builds stalls one PING in twenty past 100 ms now and then. RTT_HIGH itself
     * is promised by redis-slow-script, at the default.
     */
    static final String CLIENT_TIMEOUT_ON_A_LOADED_MACHINE = "5s";
    /**
     * The sampling window of a scenario whose codes are read from one INFO/CONFIG snapshot (a setting, a link state,
     * a ratio), not from a change between the two samples: the default 2 s would only be waited out. Scenarios whose
     * codes are rates or deltas over the window (OOM errors, evictions, rejected connections, full resyncs, backlog
     * throughput) and the healthy ones, whose absent codes the window must have had a chance to show, keep theirs.
     */
    static final String SNAPSHOT_ONLY_WINDOW = "500ms";

    private static final Set<String> ON_GROUPS = RedisGroupScenarios.onGroups();

    /**
     * Whether {@code s} breaks and reads only the Sentinel group, the Clusters or the TLS server
     * ({@link RedisLab.Part#GROUPS}); every other scenario uses the standalone server, the primary or the replica
     * ({@link RedisLab.Part#NODES}). The two parts share no server, so their scenarios can run side by side.
     */
    public static boolean onGroups(Scenario<RedisLab> s) {
        return ON_GROUPS.contains(s.id());
    }

    @Override
    public String testClass(Scenario<RedisLab> s) {
        return "io.opsdoc.checks.redis." + (onGroups(s) ? "RedisGroupScenariosTest" : "RedisScenariosTest");
    }

    @Override
    public String system() {
        return "redis";
    }

    @Override
    public String description() {
        return "a Redis standalone server, a primary with one replica (~0.5 s), and for the Sentinel scenarios a master, "
                + "replica and three Sentinels (~3 s more), for the Cluster scenarios six cluster nodes (~2 s more)";
    }

    @Override
    public List<LabVariant<RedisLab>> variants() {
        return List.of(variant(RedisVersion.V6_2), variant(RedisVersion.V7));
    }

    private static LabVariant<RedisLab> variant(RedisVersion v) {
        return new LabVariant<>(v.label(), v::unavailableReason, () -> RedisLab.start(v), () -> RedisLab.shared(v));
    }

    @Override
    public List<Scenario<RedisLab>> scenarios() {
        List<Scenario<RedisLab>> all = new ArrayList<>();
        all.addAll(timeouts());
        all.addAll(memory());
        all.addAll(hitRatio());
        all.addAll(persistence());
        all.addAll(security());
        all.addAll(replication());
        all.addAll(RedisGroupScenarios.sentinel());
        all.addAll(RedisGroupScenarios.cluster());
        all.addAll(RedisGroupScenarios.tls());
        return all;
    }

    private static List<Scenario<RedisLab>> timeouts() {
        return List.of(
                standalone("redis-healthy", "healthy standalone server: the timeouts checklist finds nothing", TIMEOUTS)
                        .param("client-timeout", CLIENT_TIMEOUT_ON_A_LOADED_MACHINE).healthy()
                        .absent("BLOCKED_CLIENTS", "BACKGROUND_SAVE_RUNNING")
                        .metrics("ping_p50_seconds", "ping_p99_seconds", "connected_clients").build(),
                standalone("redis-oom", "memory at maxmemory with noeviction while an application keeps writing",
                        TIMEOUTS, MEMORY).breaks(lab -> lab.standalone().memoryFullNoEviction())
                        .expect(code(TIMEOUTS, "WRITES_REJECTED_OOM").severity(CRITICAL)
                                .evidence("maxmemory_policy", "noeviction").positive("oom_errors_in_window"))
                        .expect(code(MEMORY, "WRITES_REJECTED_OOM").severity(CRITICAL))
                        .absent("MEMORY_NEAR_LIMIT").build(),
                standalone("redis-slow-script", "a client keeps running a Lua script that busy-waits 300 ms", TIMEOUTS)
                        .breaks(lab -> lab.standalone().slowScript(Duration.ofMillis(300)))
                        .expect(code("SLOW_COMMANDS").says("EVAL"))
                        .expect(code("RTT_HIGH").severity(WARNING))
                        .expect(code("LATENCY_EVENTS").says("command")).build(),
                standalone("redis-evicting", "a small maxmemory with allkeys-lru under writes", TIMEOUTS, MEMORY)
                        .breaks(lab -> lab.standalone().evicting())
                        .expect(code(TIMEOUTS, "EVICTIONS_ACTIVE").positive("evicted_keys_in_window")
                                .evidence("maxmemory_policy", "allkeys-lru"))
                        .expect(code(MEMORY, "EVICTIONS_ACTIVE")).expect(code(MEMORY, "MEMORY_NEAR_LIMIT"))
                        .absent("WRITES_REJECTED_OOM").build(),
                standalone("redis-maxclients", "idle connections fill maxclients; an application is refused", TIMEOUTS)
                        .breaks(lab -> lab.standalone().clientsExhausted())
                        .expect(code("CLIENTS_NEAR_MAXCLIENTS").evidence("maxclients", 24))
                        .expect(code("CONNECTIONS_REJECTED").severity(CRITICAL)
                                .positive("rejected_connections_in_window")).build(),
                standalone("redis-blocked-consumer", "a queue consumer waits in BLPOP on an empty list", TIMEOUTS)
                        .param("client-timeout", CLIENT_TIMEOUT_ON_A_LOADED_MACHINE)
                        .breaks(lab -> lab.standalone().blockedClient()).healthy()
                        .expect(code("BLOCKED_CLIENTS").severity(INFO).says("blpop")).build(),
                standalone("redis-output-buffer", "a client asks for 16 x 4 MiB and does not read the replies", TIMEOUTS)
                        .breaks(lab -> lab.standalone().outputBufferPileUp(16))
                        .expect(code("OUTPUT_BUFFER_PRESSURE").says("lab-slow-reader", "cmd=get")).build(),
                standalone("redis-bgsave-running", "a snapshot is being written by a fork child right now", TIMEOUTS,
                        PERSISTENCE).param("fork-warning", "0ms").breaks(lab -> lab.standalone().backgroundSaveRunning())
                        .expect(code(TIMEOUTS, "BACKGROUND_SAVE_RUNNING").severity(INFO)
                                .evidence("rdb_bgsave_in_progress", "1"))
                        .expect(code(PERSISTENCE, "BACKGROUND_SAVE_RUNNING"))
                        .expect(code(PERSISTENCE, "SLOW_FORK")).build(),
                standalone("redis-slow-fork", "BGSAVE forked a 64 MiB process (any fork is slower than a 0 ms threshold)",
                        TIMEOUTS).param("fork-warning", "0ms").breaks(lab -> lab.standalone().forkOfBigDataset(64))
                        .expect(code("SLOW_FORK").severity(WARNING).positive("latest_fork_usec")).build(),
                standalone("redis-wrong-password", "the monitoring password is wrong", TIMEOUTS)
                        .password(lab -> "not-the-password")
                        .expect(code("AUTH_FAILED").severity(UNKNOWN).says("'monitor'")).build(),
                Scenario.<RedisLab>of("redis-no-auth", "the check is given no user and no password").checks(TIMEOUTS)
                        .target(lab -> "redis://" + RedisLab.host() + ":" + lab.port(Node.STANDALONE))
                        .expect(code("AUTH_FAILED").severity(UNKNOWN).says("NOAUTH")).build(),
                Scenario.<RedisLab>of("redis-monitor-without-privilege", "the monitoring user may run no command")
                        .checks(TIMEOUTS)
                        .target(lab -> "redis://" + lab.noPrivilegeUser() + "@" + RedisLab.host() + ":"
                                + lab.port(Node.STANDALONE))
                        .password(RedisLab::noPrivilegePassword)
                        .expect(code("PERMISSION_DENIED").severity(UNKNOWN).says("NOPERM", "opsdoc grants redis-timeouts"))
                        .build(),
                standalone("redis-window-over-deadline", "a 5 s sampling window under a 3 s --timeout: the window "
                                + "shrinks to fit (SamplingWindow) and the check still reports, with the window it measured",
                        TIMEOUTS)
                        .param("window", "5s").param("client-timeout", CLIENT_TIMEOUT_ON_A_LOADED_MACHINE).timeout(Duration.ofSeconds(3)).healthy()
                        .absent("PROBE_FAILED", "TIMEOUT").metrics("sample_window_seconds").build(),
                Scenario.<RedisLab>of("redis-port-closed", "nothing listens on the port any more").checks(TIMEOUTS)
                        .target(lab -> "redis://" + RedisLab.host() + ":" + Ports.closedPort())
                        .timeout(Duration.ofSeconds(5)).expect(code("UNREACHABLE").severity(UNKNOWN)).build());
    }

    private static List<Scenario<RedisLab>> memory() {
        return List.of(
                standalone("redis-memory-healthy", "maxmemory set with allkeys-lru, far from full", MEMORY).healthy()
                        .metrics("used_memory_bytes", "maxmemory_bytes").build(),
                standalone("redis-no-maxmemory", "maxmemory 0", MEMORY).param("window", SNAPSHOT_ONLY_WINDOW).breaks(lab -> lab.standalone().maxmemoryUnset())
                        .expect(code("MAXMEMORY_UNSET").evidence("maxmemory", 0)).build(),
                standalone("redis-maxmemory-above-ram", "maxmemory 1 TiB, more than the machine has", MEMORY)
                        .param("window", SNAPSHOT_ONLY_WINDOW)
                        .breaks(lab -> lab.standalone().maxmemoryAboveSystemMemory())
                        .expect(code("MAXMEMORY_ABOVE_SYSTEM_MEMORY").severity(WARNING).positive("total_system_memory"))
                        .build(),
                standalone("redis-volatile-without-ttls", "volatile-lru, and no key has a TTL", MEMORY)
                        .param("window", SNAPSHOT_ONLY_WINDOW)
                        .breaks(lab -> lab.standalone().volatilePolicyWithoutTtls())
                        .expect(code("VOLATILE_POLICY_WITHOUT_TTLS").evidence("maxmemory_policy", "volatile-lru")
                                .evidence("keys_with_ttl", 0)).build(),
                standalone("redis-fragmented", "96 MiB of small keys, then 90 % of them deleted", MEMORY)
                        .param("fragmentation-min", "32MiB").param("window", SNAPSHOT_ONLY_WINDOW).breaks(lab -> lab.standalone().fragmented(96))
                        .expect(code("FRAGMENTATION_HIGH").severity(WARNING)).build());
    }

    /**
     * The reader runs until heal (about 2,500 lookups a second), so a 1 s window always holds far more than
     * min-lookups: the verdict does not depend on how busy the machine is.
     */
    private static List<Scenario<RedisLab>> hitRatio() {
        return List.of(
                standalone("redis-hit-ratio-healthy", "an application reads 100 keys that exist, over and over", HIT_RATIO)
                        .param("window", "1s").breaks(lab -> lab.standalone().readTraffic(true)).healthy()
                        .metrics("hit_ratio_percent", "lookups_in_window").build(),
                standalone("redis-hit-ratio-low", "an application keeps reading keys nobody ever wrote", HIT_RATIO)
                        .param("window", "1s").breaks(lab -> lab.standalone().readTraffic(false))
                        .expect(code("HIT_RATIO_LOW").severity(WARNING).positive("misses_in_window")
                                .evidence("hits_in_window", 0).evidence("evicted_keys_in_window", 0)
                                .says("no key was evicted")).build(),
                standalone("redis-hit-ratio-idle", "nobody reads the cache: no hit ratio to judge", HIT_RATIO)
                        .param("window", "1s").healthy().absent("HIT_RATIO_LOW").metrics("lookups_in_window").build());
    }

    private static List<Scenario<RedisLab>> persistence() {
        return List.of(
                standalone("redis-hardened", "RDB and AOF on, a password, no dangerous command for the default user",
                        PERSISTENCE, SECURITY).healthy().absent("NO_PERSISTENCE", "APPENDFSYNC_ALWAYS", "APPENDFSYNC_NO")
                        .build(),
                standalone("redis-bgsave-failed", "the data directory is not writable: BGSAVE fails, writes stop (MISCONF)",
                        PERSISTENCE).breaks(lab -> lab.standalone().bgsaveFails())
                        .expect(code("BGSAVE_FAILED").severity(CRITICAL).says("MISCONF").evidence("dir", "/proc"))
                        .build(),
                standalone("redis-aof-write-failed", "the server's files may not grow past 1 MiB: the AOF write fails, "
                        + "writes stop (MISCONF)", PERSISTENCE).breaks(lab -> lab.standalone().aofWriteFails())
                        .expect(code("AOF_WRITE_FAILED").severity(CRITICAL).evidence("aof_last_write_status", "err")
                                .evidence("appendfsync", "everysec"))
                        .absent("AOF_REWRITE_FAILED", "BGSAVE_FAILED").build(),
                standalone("redis-aof-rewrite-failed", "BGREWRITEAOF cannot create its file", PERSISTENCE)
                        .breaks(lab -> lab.standalone().aofRewriteFails())
                        .expect(code("AOF_REWRITE_FAILED").evidence("aof_last_bgrewrite_status", "err"))
                        .absent("AOF_WRITE_FAILED").build(),
                standalone("redis-cache-without-persistence", "a standalone cache with neither RDB nor AOF", PERSISTENCE)
                        .breaks(lab -> lab.standalone().noPersistence(Node.STANDALONE)).healthy()
                        .expect(code("NO_PERSISTENCE").severity(INFO)).absent("MASTER_WITHOUT_PERSISTENCE").build(),
                on(Node.PRIMARY, "redis-master-no-persistence", "a master with a replica persists nothing", PERSISTENCE)
                        .breaks(lab -> lab.standalone().noPersistence(Node.PRIMARY))
                        .expect(code("MASTER_WITHOUT_PERSISTENCE").severity(WARNING).evidence("connected_slaves", 1))
                        .absent("NO_PERSISTENCE").build(),
                standalone("redis-appendfsync-always", "appendfsync always", PERSISTENCE)
                        .breaks(lab -> lab.standalone().appendfsync("always")).healthy()
                        .expect(code("APPENDFSYNC_ALWAYS").severity(INFO)).absent("APPENDFSYNC_NO").build(),
                standalone("redis-appendfsync-no", "appendfsync no", PERSISTENCE)
                        .breaks(lab -> lab.standalone().appendfsync("no")).healthy()
                        .expect(code("APPENDFSYNC_NO").severity(INFO)).absent("APPENDFSYNC_ALWAYS").build(),
                standalone("redis-snapshot-stale", "RDB only, and 50 writes in no snapshot for 2 s (threshold 1 s)",
                        PERSISTENCE).param("snapshot-max-age", "1s").breaks(lab -> {
                            lab.standalone().unsavedChanges();
                            Thread.sleep(2_100);
                        })
                        .expect(code("SNAPSHOT_STALE").severity(WARNING).positive("rdb_changes_since_last_save")).build());
    }

    private static List<Scenario<RedisLab>> security() {
        return List.of(
                standalone("redis-no-password", "the default user lost its password", SECURITY)
                        .breaks(lab -> lab.standalone().noPassword())
                        // bound to loopback only: local users can get in, other hosts cannot
                        .expect(code("NO_PASSWORD").severity(WARNING).evidence("ping_without_auth", "PONG"))
                        .absent("PROTECTED_MODE_OFF").build(),
                standalone("redis-protected-mode-off", "no password and protected-mode off", SECURITY)
                        .breaks(lab -> lab.standalone().protectedModeOff())
                        .expect(code("PROTECTED_MODE_OFF").evidence("protected-mode", "no").evidence("bind", "127.0.0.1"))
                        .build(),
                standalone("redis-dangerous-commands", "the default user may run FLUSHALL, KEYS, CONFIG again", SECURITY)
                        .breaks(lab -> lab.standalone().dangerousCommandsAllowed())
                        .expect(code("DANGEROUS_COMMANDS_CALLABLE").evidence("callable", "flushall flushdb keys config debug")
                                .says("FLUSHALL")).build());
    }

    private static List<Scenario<RedisLab>> replication() {
        return List.of(
                on(Node.PRIMARY, "redis-primary-healthy", "a primary with its one replica online, persisting", REPLICATION,
                        PERSISTENCE).param("expect-replicas", "1").healthy().build(),
                on(Node.REPLICA, "redis-replica-healthy", "a read-only replica, linked and caught up", REPLICATION)
                        .healthy().build(),
                on(Node.REPLICA, "redis-link-down", "the replica points at a master port where nothing listens",
                        REPLICATION).param("window", SNAPSHOT_ONLY_WINDOW).breaks(lab -> lab.replication().replicaLinkDown())
                        .expect(code("LINK_DOWN").severity(CRITICAL).evidence("master_link_status", "down")).build(),
                on(Node.PRIMARY, "redis-replica-lagging", "the replica stops reading while the primary writes 2 MiB",
                        REPLICATION).param("lag-seconds", "1s").breaks(lab -> lab.replication().replicaLagging())
                        .expect(code("REPLICA_LAGGING").positive("offset_gap_bytes")).build(),
                on(Node.REPLICA, "redis-replica-writable", "replica-read-only no", REPLICATION)
                        .param("window", SNAPSHOT_ONLY_WINDOW)
                        .breaks(lab -> lab.replication().replicaWritable())
                        .expect(code("REPLICA_WRITABLE").severity(WARNING)).absent("LINK_DOWN", "SYNC_IN_PROGRESS").build(),
                on(Node.PRIMARY, "redis-replica-detached", "REPLICAOF NO ONE on the only replica", REPLICATION)
                        .param("expect-replicas", "1").param("window", SNAPSHOT_ONLY_WINDOW)
                        .breaks(lab -> lab.replication().replicaDetached())
                        .expect(code("MISSING_REPLICAS").severity(CRITICAL).evidence("online_replicas", 0)
                                .evidence("expected", 1)).build(),
                on(Node.REPLICA, "redis-full-sync", "the replica restarted empty and copies the whole data set",
                        // the sync lasts ~3 s: a short window also reads it well before it ends
                        REPLICATION).param("window", SNAPSHOT_ONLY_WINDOW)
                        .breaks(lab -> lab.replication().fullSyncInProgress())
                        .expect(code("SYNC_IN_PROGRESS").severity(WARNING)).absent("LINK_DOWN").build(),
                // a loaded 2-core machine can take more than 3 s for one fork + transfer: the window must hold at
                // least one whole resync for the rise in sync_full to be seen
                on(Node.PRIMARY, "redis-resync-loop", "a 16 KiB backlog, heavy writes and a flapping replica link",
                        REPLICATION).param("window", "8s").timeout(Duration.ofSeconds(15))
                        .breaks(lab -> lab.replication().resyncLoop())
                        .expect(code("FULL_SYNCS").positive("sync_full_in_window")).expect("BACKLOG_TOO_SMALL").build(),
                on(Node.PRIMARY, "redis-small-backlog", "a 16 KiB backlog under 100 KiB/s of writes", REPLICATION)
                        .breaks(lab -> lab.replication().smallBacklogUnderWrites())
                        .expect(code("BACKLOG_TOO_SMALL").evidence("repl_backlog_size", 16384)).build());
    }

    /** The usual shape: checks on one of the always-running servers, as 'monitor'. */
    static Scenario.Builder<RedisLab> on(Node node, String id, String story, String... checks) {
        return Scenario.<RedisLab>of(id, story).checks(checks).target(lab -> lab.uri(node))
                .password(RedisLab::monitorPassword);
    }

    private static Scenario.Builder<RedisLab> standalone(String id, String story, String... checks) {
        return on(Node.STANDALONE, id, story, checks);
    }
}
