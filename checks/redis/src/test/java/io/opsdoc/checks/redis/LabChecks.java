package io.opsdoc.checks.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Check;
import io.opsdoc.core.Finding;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Target;
import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisLab.Node;
import io.opsdoc.lab.redis.RedisVersion;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Runs Redis checks by hand, for the tests that are not scenarios. */
final class LabChecks {
    private static final Runner RUNNER = new Runner();
    private static final String GRANT_PREFIX = "ACL SETUSER opsdoc reset on ><password> ";

    private LabChecks() {
    }

    /**
     * The shared lab of that Redis version. When the version's binary is not installed the test is skipped, with
     * the reason, on a developer machine; under CI=true it fails instead: CI installs Redis 7 (.ci/install-peers), so
     * a missing binary there is a broken build, not a reason to skip.
     */
    static RedisLab lab(RedisVersion version) {
        String missing = version.unavailableReason();
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but the Redis " + version.label() + " lab cannot run: " + missing);
            }
            Assumptions.assumeTrue(false, "Redis " + version.label() + " tests skipped: " + missing);
        }
        return RedisLab.shared(version);
    }

    static <F> Report run(Check<F> check, String uri, String password, Map<String, String> params, Duration timeout) {
        return RUNNER.run(check, Target.parse(uri), Parameters.resolve(check.id(), check.parameters(), params),
                password == null ? Optional.empty() : Optional.of(Secret.of(password, "test")), timeout).report();
    }

    static <F> Report run(Check<F> check, String uri, String password) {
        return run(check, uri, password, Map.of(), Duration.ofSeconds(10));
    }

    /**
     * For a check that must find nothing on a healthy server: redis-timeouts with a client timeout that a stall of a
     * loaded machine (a PING over 100 ms now and then) does not turn into RTT_HIGH; no parameter for the others.
     */
    static Map<String, String> quietRtt(Check<?> check) {
        return check instanceof RedisTimeouts ? Map.of("client-timeout", "5s") : Map.of();
    }

    static Finding finding(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + r.findings()));
    }

    /** The rules of the one ACL statement a check prints for {@code opsdoc grants}. */
    static String aclRules(String statement) {
        assertThat(statement).startsWith(GRANT_PREFIX);
        return statement.substring(GRANT_PREFIX.length());
    }

    /**
     * Creates a user from exactly the ACL statement the check prints for 'opsdoc grants', with a fresh password,
     * and returns its redis:// URI.
     */
    static String userFromGrants(Check<RedisFacts> check, RedisLab lab, Node node, String password) {
        GrantSet acl = check.grants().get(0);
        String user = "grants-" + check.id();
        lab.createUser(user, password, aclRules(acl.statements().get(0)));
        return "redis://" + user + "@" + RedisLab.host() + ":" + lab.port(node);
    }
}
