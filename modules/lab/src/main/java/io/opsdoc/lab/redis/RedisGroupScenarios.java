package io.opsdoc.lab.redis;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.redis.RedisScenarios.CLIENT_TIMEOUT_ON_A_LOADED_MACHINE;
import static io.opsdoc.lab.redis.RedisScenarios.MEMORY;
import static io.opsdoc.lab.redis.RedisScenarios.PERSISTENCE;
import static io.opsdoc.lab.redis.RedisScenarios.SECURITY;
import static io.opsdoc.lab.redis.RedisScenarios.TIMEOUTS;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.redis.RedisLab.Node;
import io.opsdoc.lab.scenario.Scenario;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The scenarios of {@link RedisScenarios} that need more than the always-running servers: Sentinel, Cluster, TLS. */
final class RedisGroupScenarios {
    private static final String SENTINEL = "redis-sentinel";
    private static final String CLUSTER = "redis-cluster";
    /** Only Debian's Redis 7 is built with TLS; the embedded 6.2 is not. */
    private static final String TLS_VARIANT = RedisVersion.V7.label();

    /** The one scenario listed here that reads a server of {@link RedisLab.Part#NODES}: the standalone server. */
    private static final String NOT_A_CLUSTER = "redis-not-a-cluster";

    private RedisGroupScenarios() {
    }

    /** The ids of the scenarios that break and read only servers of {@link RedisLab.Part#GROUPS}. */
    static Set<String> onGroups() {
        Set<String> ids = new HashSet<>();
        for (List<Scenario<RedisLab>> l : List.of(sentinel(), cluster(), tls())) {
            l.forEach(s -> ids.add(s.id()));
        }
        ids.remove(NOT_A_CLUSTER);
        return Set.copyOf(ids);
    }

    static List<Scenario<RedisLab>> sentinel() {
        return List.of(
                sentinel("redis-sentinel-healthy", "three Sentinels (quorum 2), a master and its replica").healthy()
                        .metrics("sentinels_known", "replicas_promotable").build(),
                Scenario.<RedisLab>of("redis-sentinel-unknown-master", "the check asks for a master name nobody monitors")
                        .checks(SENTINEL)
                        .target(lab -> "redis-sentinel://" + RedisLab.host() + ":" + lab.sentinel().sentinelPort(0)
                                + "/nosuchmaster")
                        .expect(code("MASTER_UNKNOWN").severity(CRITICAL)).build(),
                sentinel("redis-sentinel-master-down", "the master dies and its only replica has replica-priority 0")
                        .breaks(lab -> lab.sentinel().masterDownNoPromotableReplica())
                        .expect(code("MASTER_ODOWN").severity(CRITICAL).says("(o_down)")).expect("NO_HEALTHY_REPLICA")
                        .absent("MASTER_SDOWN").build(),
                sentinel("redis-sentinel-sdown", "two Sentinels are gone, then the master dies: s_down, never o_down")
                        .breaks(lab -> lab.sentinel().masterDownWithoutQuorum())
                        .expect(code("MASTER_SDOWN").severity(WARNING))
                        .expect(code("QUORUM_NOT_REACHABLE").says("NOQUORUM")).absent("MASTER_ODOWN").build(),
                sentinel("redis-sentinel-no-quorum", "two of the three Sentinels are gone")
                        .breaks(lab -> lab.sentinel().sentinelsLost())
                        .expect(code("QUORUM_NOT_REACHABLE").severity(CRITICAL)).absent("MASTER_SDOWN", "MASTER_ODOWN")
                        .build(),
                sentinel("redis-sentinel-two-left", "one Sentinel removed for good: two remain")
                        .breaks(lab -> lab.sentinel().reducedToTwo())
                        .expect(code("TOO_FEW_SENTINELS").evidence("sentinels_known", 2))
                        .absent("QUORUM_NOT_REACHABLE", "NO_HEALTHY_REPLICA", "MASTER_SDOWN", "MASTER_ODOWN").build(),
                sentinel("redis-sentinel-replica-down", "the master's only replica dies")
                        .breaks(lab -> lab.sentinel().replicaDown()).expect("NO_HEALTHY_REPLICA")
                        .absent("MASTER_SDOWN", "MASTER_ODOWN", "QUORUM_NOT_REACHABLE", "RECENT_FAILOVER").build(),
                sentinel("redis-sentinel-failover", "the master dies and Sentinel promotes the replica; the old master "
                        + "stays down").breaks(lab -> lab.sentinel().failover())
                        .expect("NO_HEALTHY_REPLICA")
                        .expect(code("RECENT_FAILOVER").severity(WARNING).positive("config-epoch"))
                        .absent("MASTER_ODOWN", "MASTER_SDOWN", "FAILOVER_IN_PROGRESS").build(),
                sentinel("redis-sentinel-failover-not-recent", "the same failover, asked about with a 1 s window 1.5 s later")
                        .param("recent-failover", "1s").breaks(lab -> {
                            lab.sentinel().failover();
                            Thread.sleep(1_500);
                        })
                        .expect("NO_HEALTHY_REPLICA").absent("RECENT_FAILOVER").build(),
                Scenario.<RedisLab>of("redis-sentinel-failover-stuck", "the master dies and its replica refuses "
                                + "REPLICAOF NO ONE: the leader Sentinel's failover waits for a promotion")
                        .checks(SENTINEL).target(lab -> lab.sentinel().failoverLeaderUri())
                        .breaks(lab -> lab.sentinel().failoverStuck())
                        .expect(code("FAILOVER_IN_PROGRESS").severity(WARNING).says("failing")).expect("MASTER_ODOWN")
                        .absent("RECENT_FAILOVER").build(),
                sentinel("redis-sentinel-addr-disagreement", "one Sentinel re-pointed by hand at the replica under the "
                        + "same name").breaks(lab -> lab.sentinel().addressDisagreement())
                        .expect(code("MASTER_ADDR_DISAGREEMENT").severity(CRITICAL).says("disagree")).build());
    }

    static List<Scenario<RedisLab>> cluster() {
        return List.of(
                cluster("redis-cluster-healthy", "a cluster of three masters with one replica each", CLUSTER, TIMEOUTS)
                        .param("client-timeout", CLIENT_TIMEOUT_ON_A_LOADED_MACHINE).healthy().build(),
                RedisScenarios.on(Node.STANDALONE, NOT_A_CLUSTER, "redis-cluster pointed at a standalone server",
                        CLUSTER).expect(code("NOT_A_CLUSTER").severity(CRITICAL)).build(),
                cluster("redis-cluster-shard-lost", "a master and its replica both die: a third of the slots is down",
                        CLUSTER, TIMEOUTS).breaks(lab -> lab.cluster().shardLost())
                        .expect(code(CLUSTER, "CLUSTER_STATE_FAIL").severity(CRITICAL))
                        .expect(code(CLUSTER, "SLOTS_FAIL").evidence("cluster_slots_fail", 5461))
                        .expect(code(CLUSTER, "FAILED_NODES"))
                        .expect(code(TIMEOUTS, "CLUSTER_STATE_FAIL").severity(CRITICAL)).build(),
                cluster("redis-cluster-failover", "a master dies and its replica takes over; nothing replicates the new "
                        + "master", CLUSTER).breaks(lab -> lab.cluster().failover())
                        .expect(code("FAILED_NODES").severity(WARNING)).expect(code("MASTER_WITHOUT_REPLICA").severity(WARNING))
                        .absent("CLUSTER_STATE_FAIL", "SLOTS_FAIL", "SLOTS_UNASSIGNED", "TOO_FEW_MASTERS",
                                "BUS_PORT_UNREACHABLE").build(),
                Scenario.<RedisLab>of("redis-cluster-two-masters", "a separate cluster of only two masters")
                        .checks(CLUSTER).target(lab -> lab.cluster().twoMastersUri(0)).password(RedisLab::monitorPassword)
                        .breaks(lab -> lab.cluster().twoMasters())
                        .expect(code("TOO_FEW_MASTERS").severity(WARNING).evidence("cluster_size", 2)
                                .evidence("min_masters", 3))
                        .absent("CLUSTER_STATE_FAIL", "BUS_PORT_UNREACHABLE").build(),
                cluster("redis-cluster-bus-port", "a replica announces a cluster bus port where nothing listens", CLUSTER)
                        .breaks(lab -> lab.cluster().busPortUnreachable())
                        .expect(code("BUS_PORT_UNREACHABLE").evidence("client_port", "ok").evidence("bus_port", "refused"))
                        .build(),
                cluster("redis-cluster-slot-unassigned", "slot 0 removed from its master: served by nobody", CLUSTER)
                        .breaks(lab -> lab.cluster().slotUnassigned())
                        .expect(code("SLOTS_UNASSIGNED").evidence("unassigned", 1)).expect("CLUSTER_STATE_FAIL").build());
    }

    static List<Scenario<RedisLab>> tls() {
        return List.of(
                Scenario.<RedisLab>of("redis-tls-healthy", "the checks over TLS, trusting the server's CA")
                        .checks(TIMEOUTS, MEMORY, SECURITY, PERSISTENCE).target(lab -> lab.tls().uri())
                        .password(RedisLab::monitorPassword).param("window", "1s")
                        .param("client-timeout", CLIENT_TIMEOUT_ON_A_LOADED_MACHINE).healthy()
                        // the TLS server is a cache without persistence, and the check reads that over TLS
                        .expect(code(PERSISTENCE, "NO_PERSISTENCE").severity(INFO)).onlyOn(TLS_VARIANT).build(),
                tls("redis-tls-untrusted", "the server's certificate is not signed by a CA the check trusts")
                        .target(lab -> "rediss://monitor@" + RedisLab.host() + ":" + lab.tls().port())
                        .expect(code("PROBE_FAILED").severity(UNKNOWN).says("TLS", "not signed by a trusted CA", "cacert="))
                        .build(),
                // the certificate names 127.0.0.1 and localhost; the same server is reached under another address
                tls("redis-tls-wrong-name", "the certificate does not name the address the check connects to")
                        .target(lab -> "rediss://monitor@127.0.0.2:" + lab.tls().port() + "?cacert=" + lab.tls().caFile())
                        .expect(code("PROBE_FAILED").severity(UNKNOWN).says("TLS")).build(),
                // a cleartext Redis reads the ClientHello as the start of an inline command and waits for the rest
                tls("redis-tls-on-cleartext-port", "rediss:// against the server's cleartext port")
                        .target(lab -> "rediss://monitor@" + RedisLab.host() + ":" + lab.tls().plainPort() + "?cacert="
                                + lab.tls().caFile())
                        .timeout(Duration.ofSeconds(3)).expect(code("TIMEOUT").severity(UNKNOWN)).build());
    }

    private static Scenario.Builder<RedisLab> sentinel(String id, String story) {
        return Scenario.<RedisLab>of(id, story).checks(SENTINEL).target(lab -> lab.sentinel().uri(0));
    }

    private static Scenario.Builder<RedisLab> cluster(String id, String story, String... checks) {
        return Scenario.<RedisLab>of(id, story).checks(checks).target(lab -> lab.cluster().uri(0))
                .password(RedisLab::monitorPassword);
    }

    private static Scenario.Builder<RedisLab> tls(String id, String story) {
        return Scenario.<RedisLab>of(id, story).checks(TIMEOUTS).param("window", "1s")
                .password(RedisLab::monitorPassword).onlyOn(TLS_VARIANT);
    }
}
