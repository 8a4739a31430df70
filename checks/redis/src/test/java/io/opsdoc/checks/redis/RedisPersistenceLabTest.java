package io.opsdoc.checks.redis;

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

/** Every finding code of redis-persistence from a real fault, and none on the healthy server. */
@ResourceLock(providers = LabLock.class)
class RedisPersistenceLabTest {
    RedisLab lab;
    private final RedisPersistence check = new RedisPersistence();

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
    void healthyServersHaveNoFindings() {
        assertThat(check(Node.STANDALONE, Map.of()).findings()).isEmpty();
        assertThat(check(Node.PRIMARY, Map.of()).findings()).isEmpty();
    }

    @Test
    void theGrantsItPrintsAreEnough() {
        String uri = LabChecks.userFromGrants(check, lab, Node.STANDALONE, "persist-grant-pw-1");
        assertThat(run(check, uri, "persist-grant-pw-1", Map.of(), Duration.ofSeconds(10)).findings()).isEmpty();
    }

    @Test
    void snapshotThatCannotBeWritten() {
        lab.bgsaveFails();
        Finding f = finding(check(Node.STANDALONE, Map.of()), "BGSAVE_FAILED");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.summary()).contains("MISCONF");
        assertThat(f.evidence()).containsEntry("dir", "/proc");
    }

    @Test
    void appendOnlyFileThatCannotGrow() {
        lab.aofWriteFails();
        Report r = check(Node.STANDALONE, Map.of());
        Finding f = finding(r, "AOF_WRITE_FAILED");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("aof_last_write_status", "err").containsEntry("appendfsync", "everysec");
        assertThat(codes(r)).doesNotContain("AOF_REWRITE_FAILED", "BGSAVE_FAILED");
    }

    @Test
    void aofRewriteThatCannotBeWritten() {
        lab.aofRewriteFails();
        assertThat(finding(check(Node.STANDALONE, Map.of()), "AOF_REWRITE_FAILED").evidence())
                .containsEntry("aof_last_bgrewrite_status", "err");
        assertThat(codes(check(Node.STANDALONE, Map.of()))).doesNotContain("AOF_WRITE_FAILED");
    }

    @Test
    void noPersistenceOnAStandaloneCacheIsInfo() {
        lab.noPersistence(Node.STANDALONE);
        Report r = check(Node.STANDALONE, Map.of());
        assertThat(finding(r, "NO_PERSISTENCE").severity()).isEqualTo(Severity.INFO);
        assertThat(codes(r)).doesNotContain("MASTER_WITHOUT_PERSISTENCE");
    }

    @Test
    void noPersistenceOnAMasterWithReplicas() {
        lab.noPersistence(Node.PRIMARY);
        Report r = check(Node.PRIMARY, Map.of());
        Finding f = finding(r, "MASTER_WITHOUT_PERSISTENCE");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("connected_slaves", 1L);
        assertThat(codes(r)).doesNotContain("NO_PERSISTENCE");
    }

    @Test
    void fsyncPolicies() {
        lab.appendfsync("always");
        assertThat(codes(check(Node.STANDALONE, Map.of()))).containsExactly("APPENDFSYNC_ALWAYS");
        lab.heal();
        lab.appendfsync("no");
        assertThat(codes(check(Node.STANDALONE, Map.of()))).containsExactly("APPENDFSYNC_NO");
    }

    @Test
    void changesNotInAnySnapshot() throws Exception {
        lab.unsavedChanges();
        Thread.sleep(2_100);
        Finding f = finding(check(Node.STANDALONE, Map.of("snapshot-max-age", "1s")), "SNAPSHOT_STALE");
        assertThat((Long) f.evidence().get("rdb_changes_since_last_save")).isGreaterThanOrEqualTo(50L);
        assertThat(codes(check(Node.STANDALONE, Map.of()))).doesNotContain("SNAPSHOT_STALE");
    }

    @Test
    void aSnapshotBeingWrittenAndTheForkItTook() {
        lab.backgroundSaveRunning();
        Report r = check(Node.STANDALONE, Map.of("fork-warning", "0ms"));
        assertThat(codes(r)).contains("BACKGROUND_SAVE_RUNNING", "SLOW_FORK");
    }
}
