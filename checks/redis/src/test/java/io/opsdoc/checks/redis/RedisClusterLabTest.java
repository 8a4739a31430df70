package io.opsdoc.checks.redis;

import org.junit.jupiter.api.Tag;
import static io.opsdoc.checks.redis.LabChecks.codes;
import static io.opsdoc.checks.redis.LabChecks.finding;
import static io.opsdoc.checks.redis.LabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisVersion;
import io.opsdoc.lab.redis.RedisLab.Node;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Every finding code of redis-cluster from a real fault on a real 3-master, 3-replica Redis Cluster. */
@ResourceLock(providers = LabLock.class)
@Tag("lab")
class RedisClusterLabTest {
    RedisLab lab;
    private final RedisCluster check = new RedisCluster();

    /** The Redis the lab runs; the Redis7 subclass overrides it. */
    RedisVersion version() {
        return RedisVersion.V6_2;
    }

    @BeforeEach
    void heal() {
        lab = LabChecks.lab(version());
        lab.startCluster();
        lab.heal();
    }

    private Report check(int node) {
        return run(check, lab.clusterUri(node), lab.monitorPassword(), Map.of(), Duration.ofSeconds(10));
    }

    @Test
    void healthyClusterHasNoFindings() {
        // among others: three masters (no TOO_FEW_MASTERS), every bus port reachable (no BUS_PORT_UNREACHABLE)
        Report r = check(0);
        assertThat(r.findings()).isEmpty();
        assertThat(r.metrics()).anySatisfy(m -> assertThat(m.value()).isEqualTo(6.0));
        assertThat(run(new RedisTimeouts(), lab.clusterUri(0), lab.monitorPassword(), Map.of(), Duration.ofSeconds(10))
                .findings()).isEmpty();
    }

    @Test
    void theGrantsItPrintsAreEnough() {
        String password = "cluster-grant-pw-1";
        String rules = check.grants().get(0).statements().get(0).substring("ACL SETUSER opsdoc reset on ><password> ".length());
        lab.createClusterUser("grants-cluster", password, rules);
        Report r = run(check, "redis://grants-cluster@127.0.0.1:" + lab.clusterPort(0), password, Map.of(), Duration.ofSeconds(10));
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void aStandaloneServerIsNotACluster() {
        Report r = run(check, lab.uri(Node.STANDALONE), lab.monitorPassword(), Map.of(), Duration.ofSeconds(10));
        assertThat(codes(r)).containsExactly("NOT_A_CLUSTER");
    }

    @Test
    void aMasterAndItsReplicaBothDie() {
        lab.clusterShardLost();
        Report r = check(0);
        assertThat(finding(r, "CLUSTER_STATE_FAIL").severity()).isEqualTo(Severity.CRITICAL);
        assertThat((Long) finding(r, "SLOTS_FAIL").evidence().get("cluster_slots_fail")).isEqualTo(5461L);
        assertThat(finding(r, "FAILED_NODES").summary()).contains(":" + lab.clusterPort(2), ":" + lab.clusterPort(5));
        Report timeouts = run(new RedisTimeouts(), lab.clusterUri(0), lab.monitorPassword(), Map.of(), Duration.ofSeconds(10));
        assertThat(codes(timeouts)).contains("CLUSTER_STATE_FAIL");
    }

    @Test
    void aMasterDiesAndItsReplicaTakesOver() {
        lab.clusterFailover();
        Report r = check(0);
        assertThat(codes(r)).containsExactlyInAnyOrder("FAILED_NODES", "MASTER_WITHOUT_REPLICA");
        Finding f = finding(r, "MASTER_WITHOUT_REPLICA");
        assertThat(f.subject()).isEqualTo("127.0.0.1:" + lab.clusterPort(4));
    }

    @Test
    void aClusterOfOnlyTwoMasters() {
        lab.twoMasterCluster();
        Report r = run(check, lab.twoMasterClusterUri(0), lab.monitorPassword(), Map.of(), Duration.ofSeconds(10));
        Finding f = finding(r, "TOO_FEW_MASTERS");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("cluster_size", 2L).containsEntry("min_masters", 3L);
        assertThat(codes(r)).doesNotContain("CLUSTER_STATE_FAIL", "BUS_PORT_UNREACHABLE");
        assertThat(codes(check(0))).doesNotContain("TOO_FEW_MASTERS");
    }

    @Test
    void aNodeWhoseBusPortCannotBeReached() {
        lab.clusterBusPortUnreachable();
        Report r = check(0);
        Finding f = finding(r, "BUS_PORT_UNREACHABLE");
        assertThat(f.subject()).isEqualTo("127.0.0.1:" + lab.clusterPort(5));
        assertThat(f.evidence()).containsEntry("client_port", "ok").containsEntry("bus_port", "refused");
        assertThat(r.findings()).filteredOn(x -> x.code().equals("BUS_PORT_UNREACHABLE")).hasSize(1);
    }

    @Test
    void aSlotServedByNobody() {
        lab.clusterSlotUnassigned();
        Report r = check(0);
        assertThat(finding(r, "SLOTS_UNASSIGNED").evidence()).containsEntry("unassigned", 1L);
        assertThat(codes(r)).contains("CLUSTER_STATE_FAIL");
    }
}
