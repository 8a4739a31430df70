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

/** Every finding code of redis-replication from a real fault on a real primary and replica. */
@ResourceLock(providers = LabLock.class)
@Tag("lab")
class RedisReplicationLabTest {
    RedisLab lab;
    private final RedisReplication check = new RedisReplication();

    /** The Redis the lab runs; the Redis7 subclass overrides it. */
    RedisVersion version() {
        return RedisVersion.V6_2;
    }

    @BeforeEach
    void heal() {
        lab = LabChecks.lab(version());
        lab.heal();
    }

    private Report check(Node node, Map<String, String> params) {
        return run(check, lab, node, params);
    }

    @Test
    void healthyPrimaryAndReplicaHaveNoFindings() {
        assertThat(check(Node.PRIMARY, Map.of("expect-replicas", "1")).findings()).isEmpty();
        assertThat(check(Node.REPLICA, Map.of()).findings()).isEmpty();
    }

    @Test
    void theGrantsItPrintsAreEnough() {
        String uri = LabChecks.userFromGrants(check, lab, Node.REPLICA, "repl-grant-pw-1");
        assertThat(run(check, uri, "repl-grant-pw-1", Map.of(), Duration.ofSeconds(10)).findings()).isEmpty();
    }

    @Test
    void replicaCannotReachItsMaster() {
        lab.replicaLinkDown();
        Finding f = finding(check(Node.REPLICA, Map.of()), "LINK_DOWN");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("master_link_status", "down");
    }

    @Test
    void replicaStopsReadingWhileThePrimaryWrites() {
        lab.replicaLagging();
        Report r = check(Node.PRIMARY, Map.of("lag-seconds", "1s"));
        Finding f = finding(r, "REPLICA_LAGGING");
        assertThat((Long) f.evidence().get("offset_gap_bytes")).isGreaterThan(1024L * 1024);
        assertThat(f.subject()).startsWith("127.0.0.1:");
    }

    @Test
    void writableReplica() {
        lab.replicaWritable();
        assertThat(codes(check(Node.REPLICA, Map.of()))).containsExactly("REPLICA_WRITABLE");
    }

    @Test
    void primaryLostItsReplica() {
        lab.replicaDetached();
        Finding f = finding(check(Node.PRIMARY, Map.of("expect-replicas", "1")), "MISSING_REPLICAS");
        assertThat(f.evidence()).containsEntry("online_replicas", 0).containsEntry("expected", 1L);
    }

    @Test
    void fullSyncInProgressOnTheReplica() {
        lab.fullSyncInProgress();
        Finding f = finding(check(Node.REPLICA, Map.of()), "SYNC_IN_PROGRESS");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(codes(check(Node.REPLICA, Map.of()))).doesNotContain("LINK_DOWN");
    }

    @Test
    void replicaReconnectingInAResyncLoop() {
        lab.resyncLoop();
        // a loaded 2-core machine (CI, parallel builds) can take more than 3 s for one fork + transfer; the window
        // must hold at least one whole resync for the rise in sync_full to be seen
        Report r = check(Node.PRIMARY, Map.of("window", "8s"));
        assertThat((Long) finding(r, "FULL_SYNCS").evidence().get("sync_full_in_window")).isPositive();
        assertThat(codes(r)).contains("BACKLOG_TOO_SMALL");
    }

    @Test
    void backlogSmallerThanAMinuteOfWrites() {
        lab.smallBacklogUnderWrites();
        Finding f = finding(check(Node.PRIMARY, Map.of()), "BACKLOG_TOO_SMALL");
        assertThat(f.evidence()).containsEntry("repl_backlog_size", 16384L);
        assertThat((Double) f.evidence().get("backlog_covers_s")).isLessThan(60.0);
    }
}
