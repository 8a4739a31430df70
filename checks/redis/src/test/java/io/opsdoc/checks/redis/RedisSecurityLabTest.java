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

/** Every finding code of redis-security from a real misconfiguration, and none on the hardened lab server. */
@ResourceLock(providers = LabLock.class)
class RedisSecurityLabTest {
    RedisLab lab;
    private final RedisSecurity check = new RedisSecurity();

    /** The Redis the lab runs; the Redis7 subclass overrides it. */
    RedisVersion version() {
        return RedisVersion.V6_2;
    }

    @BeforeEach
    void heal() {
        lab = LabChecks.lab(version());
        lab.heal();
    }

    private Report check() {
        return run(check, lab, Node.STANDALONE, Map.of());
    }

    @Test
    void passwordProtectedServerWithoutDangerousCommandsHasNoFindings() {
        assertThat(check().findings()).isEmpty();
    }

    @Test
    void theGrantsItPrintsAreEnough() {
        String uri = LabChecks.userFromGrants(check, lab, Node.STANDALONE, "sec-grant-pw-1");
        assertThat(run(check, uri, "sec-grant-pw-1", Map.of(), Duration.ofSeconds(10)).findings()).isEmpty();
    }

    @Test
    void noPasswordLetsAnyoneIn() {
        lab.noPassword();
        Report r = check();
        Finding f = finding(r, "NO_PASSWORD");
        assertThat(f.evidence()).containsEntry("ping_without_auth", "PONG");
        // bound to loopback only: local users can get in, other hosts cannot
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(codes(r)).doesNotContain("PROTECTED_MODE_OFF");
    }

    @Test
    void protectedModeOffWithoutPassword() {
        lab.protectedModeOff();
        Finding f = finding(check(), "PROTECTED_MODE_OFF");
        assertThat(f.evidence()).containsEntry("protected-mode", "no").containsEntry("bind", "127.0.0.1");
    }

    @Test
    void defaultUserMayRunEverything() {
        lab.dangerousCommandsAllowed();
        Finding f = finding(check(), "DANGEROUS_COMMANDS_CALLABLE");
        assertThat(f.evidence()).containsEntry("callable", "flushall flushdb keys config debug");
        assertThat(f.summary()).contains("FLUSHALL");
    }
}
