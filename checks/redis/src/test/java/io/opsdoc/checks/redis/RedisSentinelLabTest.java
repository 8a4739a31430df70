package io.opsdoc.checks.redis;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import redis.clients.jedis.Jedis;

/** Every finding code of redis-sentinel from a real fault under three real Sentinels (quorum 2). */
@ResourceLock(providers = LabLock.class)
@Tag("lab")
class RedisSentinelLabTest {
    RedisLab lab;
    private final RedisSentinel check = new RedisSentinel();
    private final Runner runner = new Runner();

    /** The Redis the lab runs; the Redis7 subclass overrides it. */
    RedisVersion version() {
        return RedisVersion.V6_2;
    }

    @BeforeEach
    void heal() {
        lab = LabChecks.lab(version());
        lab.startSentinels();
        lab.heal();
    }

    private Report run(String uri, String password) {
        return runner.run(check, Target.parse(uri), Parameters.resolve(check.id(), check.parameters(), Map.of()),
                password == null ? Optional.empty() : Optional.of(Secret.of(password, "test")), Duration.ofSeconds(10)).report();
    }

    private Report check() {
        return run(lab.sentinelUri(0), null);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<String> codes(Report r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    private static Finding finding(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + r.findings()));
    }

    @Test
    void healthyGroupHasNoFindings() {
        Report r = check();
        // also: no FAILOVER_IN_PROGRESS, RECENT_FAILOVER or MASTER_ADDR_DISAGREEMENT while all three agree
        assertThat(r.findings()).isEmpty();
        assertThat(r.metrics()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("sentinels_known");
            assertThat(m.value()).isEqualTo(3.0);
        });
    }

    @Test
    void theGrantsItPrintsAreEnough() {
        String statement = check.grants().get(0).statements().get(0);
        String rules = statement.substring("ACL SETUSER opsdoc reset on ><password> ".length());
        // on every Sentinel: the check asks the others where the master is, with the same user
        for (int i = 0; i < 3; i++) {
            try (Jedis sentinel = lab.sentinel(i)) {
                List<String> args = new java.util.ArrayList<>(List.of("SETUSER", "sentinel-monitor", "reset", "on", ">sent-pw-1"));
                args.addAll(List.of(rules.split(" ")));
                sentinel.sendCommand(() -> "ACL".getBytes(), args.toArray(String[]::new));
            }
        }
        Report r = run("redis-sentinel://sentinel-monitor@127.0.0.1:" + lab.sentinelPort(0) + "/" + RedisLab.SENTINEL_MASTER_NAME,
                "sent-pw-1");
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void aNameTheSentinelDoesNotMonitor() {
        Report r = run("redis-sentinel://127.0.0.1:" + lab.sentinelPort(0) + "/nosuchmaster", null);
        assertThat(finding(r, "MASTER_UNKNOWN").severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void masterDiesAndNoReplicaMayBePromoted() {
        lab.sentinelMasterDownNoPromotableReplica();
        Report r = check();
        Finding f = finding(r, "MASTER_ODOWN");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence().get("flags").toString()).contains("o_down");
        assertThat(codes(r)).contains("NO_HEALTHY_REPLICA").doesNotContain("MASTER_SDOWN");
    }

    @Test
    void masterDiesWithTwoSentinelsGone() {
        lab.sentinelMasterDownWithoutQuorum();
        // on a loaded machine a Sentinel's s_down view can lag a moment behind the lab's own observation
        Report r = check();
        for (int i = 0; i < 5 && !codes(r).contains("MASTER_SDOWN"); i++) {
            sleep(1_000);
            r = check();
        }
        assertThat(finding(r, "MASTER_SDOWN").severity()).isEqualTo(Severity.WARNING);
        assertThat(finding(r, "QUORUM_NOT_REACHABLE").evidence().get("ckquorum").toString()).contains("NOQUORUM");
        assertThat(codes(r)).doesNotContain("MASTER_ODOWN");
    }

    @Test
    void twoSentinelsGoneLeaveNoQuorum() {
        lab.sentinelsLost();
        Report r = check();
        assertThat(finding(r, "QUORUM_NOT_REACHABLE").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(codes(r)).doesNotContain("MASTER_SDOWN", "MASTER_ODOWN");
    }

    @Test
    void onlyTwoSentinelsLeft() {
        lab.sentinelsReducedToTwo();
        Report r = check();
        assertThat(codes(r)).containsExactly("TOO_FEW_SENTINELS");
        assertThat(finding(r, "TOO_FEW_SENTINELS").evidence()).containsEntry("sentinels_known", 2L);
    }

    @Test
    void theOnlyReplicaDies() {
        lab.sentinelReplicaDown();
        assertThat(codes(check())).containsExactly("NO_HEALTHY_REPLICA");
    }

    @Test
    void afterAFailoverTheOldMasterIsADeadReplica() {
        lab.sentinelFailover();
        Report r = check();
        assertThat(codes(r)).containsExactlyInAnyOrder("NO_HEALTHY_REPLICA", "RECENT_FAILOVER");
        assertThat(finding(r, "NO_HEALTHY_REPLICA").summary()).contains(":" + lab.sentinelMasterPort());
        Finding recent = finding(r, "RECENT_FAILOVER");
        assertThat(recent.evidence()).containsEntry("master", "127.0.0.1:" + lab.sentinelReplicaPort());
        assertThat((Long) recent.evidence().get("config-epoch")).isPositive();
        assertThat((Long) recent.evidence().get("role_reported_ms_ago")).isLessThan(60_000L);
        // with a window shorter than the time since the failover it is no longer recent
        sleep(1_500);
        Report later = runner.run(check, Target.parse(lab.sentinelUri(0)), Parameters.resolve(check.id(), check.parameters(),
                Map.of("recent-failover", "1s")), Optional.empty(), Duration.ofSeconds(10)).report();
        assertThat(codes(later)).doesNotContain("RECENT_FAILOVER");
    }

    @Test
    void aFailoverThatCannotPromoteIsSeenInProgressByItsLeader() {
        int leader = lab.sentinelFailoverStuck();
        Report r = run(lab.sentinelUri(leader), null);
        Finding f = finding(r, "FAILOVER_IN_PROGRESS");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsKey("failover-state");
        assertThat(f.evidence().get("flags").toString()).contains("failover_in_progress");
        assertThat(codes(r)).contains("MASTER_ODOWN").doesNotContain("RECENT_FAILOVER");
    }

    @Test
    void oneSentinelPointsClientsElsewhere() {
        lab.sentinelAddressDisagreement();
        Report r = check();
        Finding f = finding(r, "MASTER_ADDR_DISAGREEMENT");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("this_sentinel_says", "127.0.0.1:" + lab.sentinelMasterPort());
        assertThat(f.evidence().get("others").toString())
                .contains(":" + lab.sentinelPort(2) + " says 127.0.0.1:" + lab.sentinelReplicaPort());
    }
}
