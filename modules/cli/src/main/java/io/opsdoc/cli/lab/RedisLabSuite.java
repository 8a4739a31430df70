package io.opsdoc.cli.lab;

import io.opsdoc.core.Report;
import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisLab.Node;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The Redis checks against a real standalone server and a primary with one replica (Redis 6.2 from embedded-redis). */
final class RedisLabSuite implements LabSuite {
    private RedisLab lab;

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String description() {
        return "a Redis 6.2 standalone server, a primary with one replica (~0.5 s), and for the Sentinel scenarios a "
                + "master, replica and three Sentinels (~3 s more), and for the Cluster scenarios six cluster nodes (~2 s more)";
    }

    @Override
    public String start() {
        lab = RedisLab.start();
        return "standalone " + RedisLab.host() + ":" + lab.port(Node.STANDALONE) + ", primary :" + lab.port(Node.PRIMARY)
                + ", replica :" + lab.port(Node.REPLICA) + " (redis " + lab.version() + ")";
    }

    @Override
    public void heal() {
        lab.heal();
    }

    @Override
    public void close() {
        if (lab != null) {
            lab.close();
        }
    }

    @Override
    public List<LabScenario> scenarios() {
        return List.of(
                scenario("redis-healthy", "healthy standalone server: timeouts checklist finds nothing", null,
                        "redis-timeouts", Node.STANDALONE, Map.of(), () -> { }),
                scenario("redis-oom", "memory at maxmemory with noeviction while an application keeps writing",
                        "WRITES_REJECTED_OOM", "redis-timeouts", Node.STANDALONE, Map.of(), () -> lab.memoryFullNoEviction()),
                scenario("redis-slow-script", "a client keeps running a Lua script that busy-waits 300 ms",
                        "SLOW_COMMANDS", "redis-timeouts", Node.STANDALONE, Map.of(), () -> lab.slowScript(Duration.ofMillis(300))),
                scenario("redis-maxclients", "idle connections fill maxclients; an application is refused",
                        "CONNECTIONS_REJECTED", "redis-timeouts", Node.STANDALONE, Map.of(), () -> lab.clientsExhausted()),
                scenario("redis-evicting", "a small maxmemory with allkeys-lru under writes", "EVICTIONS_ACTIVE",
                        "redis-memory", Node.STANDALONE, Map.of(), () -> lab.evicting()),
                scenario("redis-output-buffer", "a client asks for 16 x 4 MiB and does not read the replies",
                        "OUTPUT_BUFFER_PRESSURE", "redis-timeouts", Node.STANDALONE, Map.of(), () -> lab.outputBufferPileUp(16)),
                scenario("redis-no-maxmemory", "maxmemory 0", "MAXMEMORY_UNSET", "redis-memory", Node.STANDALONE,
                        Map.of(), () -> lab.maxmemoryUnset()),
                scenario("redis-bgsave-failed", "the data directory is not writable: BGSAVE fails, writes stop (MISCONF)",
                        "BGSAVE_FAILED", "redis-persistence", Node.STANDALONE, Map.of(), () -> lab.bgsaveFails()),
                scenario("redis-aof-write-failed", "the server's files may not grow past 1 MiB: the AOF write fails, "
                        + "writes stop (MISCONF)", "AOF_WRITE_FAILED", "redis-persistence", Node.STANDALONE, Map.of(),
                        () -> lab.aofWriteFails()),
                scenario("redis-master-no-persistence", "a master with a replica persists nothing", "MASTER_WITHOUT_PERSISTENCE",
                        "redis-persistence", Node.PRIMARY, Map.of(), () -> lab.noPersistence(Node.PRIMARY)),
                scenario("redis-link-down", "the replica points at a master port where nothing listens", "LINK_DOWN",
                        "redis-replication", Node.REPLICA, Map.of(), () -> lab.replicaLinkDown()),
                scenario("redis-replica-lagging", "the replica stops reading while the primary writes 2 MiB",
                        "REPLICA_LAGGING", "redis-replication", Node.PRIMARY, Map.of(), () -> lab.replicaLagging()),
                scenario("redis-resync-loop", "a 16 KiB backlog, heavy writes and a flapping replica link", "FULL_SYNCS",
                        "redis-replication", Node.PRIMARY, Map.of("window", "5s"), () -> lab.resyncLoop()),
                scenario("redis-no-password", "the default user lost its password", "NO_PASSWORD", "redis-security",
                        Node.STANDALONE, Map.of(), () -> lab.noPassword()),
                scenario("redis-dangerous-commands", "the default user may run FLUSHALL, KEYS, CONFIG again",
                        "DANGEROUS_COMMANDS_CALLABLE", "redis-security", Node.STANDALONE, Map.of(),
                        () -> lab.dangerousCommandsAllowed()),
                sentinel("redis-sentinel-healthy", "three Sentinels (quorum 2), a master and its replica", null, () -> { }),
                sentinel("redis-sentinel-master-down", "the master dies and its only replica has replica-priority 0",
                        "MASTER_ODOWN", () -> lab.sentinelMasterDownNoPromotableReplica()),
                sentinel("redis-sentinel-no-quorum", "two of the three Sentinels are gone", "QUORUM_NOT_REACHABLE",
                        () -> lab.sentinelsLost()),
                sentinel("redis-sentinel-failover", "the master dies and Sentinel promotes the replica; the old master "
                        + "stays down", "NO_HEALTHY_REPLICA", () -> lab.sentinelFailover()),
                new LabScenario("redis-sentinel-failover-stuck", "the master dies and its replica refuses REPLICAOF NO ONE: "
                        + "the leader Sentinel's failover waits for a promotion", "FAILOVER_IN_PROGRESS", () -> {
                            int leader = lab.sentinelFailoverStuck();
                            return LabRun.check("redis-sentinel", lab.sentinelUri(leader), Map.of(), null, Duration.ofSeconds(10));
                        }),
                sentinel("redis-sentinel-addr-disagreement", "one Sentinel re-pointed by hand at the replica under the same "
                        + "name", "MASTER_ADDR_DISAGREEMENT", () -> lab.sentinelAddressDisagreement()),
                cluster("redis-cluster-healthy", "a cluster of three masters with one replica each", null, () -> { }),
                cluster("redis-cluster-shard-lost", "a master and its replica both die: a third of the slots is down",
                        "CLUSTER_STATE_FAIL", () -> lab.clusterShardLost()),
                cluster("redis-cluster-failover", "a master dies and its replica takes over; nothing replicates the "
                        + "new master", "MASTER_WITHOUT_REPLICA", () -> lab.clusterFailover()),
                cluster("redis-cluster-bus-port", "a replica announces a cluster bus port where nothing listens",
                        "BUS_PORT_UNREACHABLE", () -> lab.clusterBusPortUnreachable()),
                new LabScenario("redis-cluster-two-masters", "a separate cluster of only two masters", "TOO_FEW_MASTERS", () -> {
                    lab.twoMasterCluster();
                    return LabRun.check("redis-cluster", lab.twoMasterClusterUri(0), Map.of(), lab.monitorPassword(),
                            Duration.ofSeconds(10));
                }));
    }

    private LabScenario cluster(String name, String description, String code, Runnable induce) {
        return new LabScenario(name, description, code, () -> {
            lab.startCluster();
            induce.run();
            return LabRun.check("redis-cluster", lab.clusterUri(0), Map.of(), lab.monitorPassword(), Duration.ofSeconds(10));
        });
    }

    private LabScenario sentinel(String name, String description, String code, Runnable induce) {
        return new LabScenario(name, description, code, () -> {
            lab.startSentinels();
            induce.run();
            return LabRun.check("redis-sentinel", lab.sentinelUri(0), Map.of(), null, Duration.ofSeconds(10));
        });
    }

    private LabScenario scenario(String name, String description, String code, String checkId, Node node,
            Map<String, String> params, Runnable induce) {
        return new LabScenario(name, description, code, () -> {
            induce.run();
            return LabRun.check(checkId, lab.uri(node), params, lab.monitorPassword(), Duration.ofSeconds(10));
        });
    }
}
