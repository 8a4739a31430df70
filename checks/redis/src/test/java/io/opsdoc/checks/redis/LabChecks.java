package io.opsdoc.checks.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Check;
import io.opsdoc.core.Finding;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisLab.Node;
import io.opsdoc.lab.redis.RedisVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Runs Redis checks against the shared lab as its monitor user. */
final class LabChecks {
    private static final Runner RUNNER = new Runner();

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

    static Report run(Check<RedisFacts> check, RedisLab lab, Node node, Map<String, String> params) {
        return run(check, lab.uri(node), lab.monitorPassword(), params, Duration.ofSeconds(10));
    }

    static Report run(Check<RedisFacts> check, String uri, String password, Map<String, String> params, Duration timeout) {
        return RUNNER.run(check, io.opsdoc.core.Target.parse(uri), Parameters.resolve(check.id(), check.parameters(), params),
                password == null ? Optional.empty() : Optional.of(Secret.of(password, "test")), timeout).report();
    }

    static List<String> codes(Report r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    static Finding finding(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + r.findings()));
    }

    /**
     * Creates a user from exactly the ACL statement the check prints for 'opsdoc grants', with a fresh password,
     * and returns its redis:// URI.
     */
    static String userFromGrants(Check<RedisFacts> check, RedisLab lab, Node node, String password) {
        GrantSet acl = check.grants().get(0);
        String statement = acl.statements().get(0);
        assertThat(statement).startsWith("ACL SETUSER opsdoc reset on ><password> ");
        String user = "grants-" + check.id();
        String rules = statement.substring("ACL SETUSER opsdoc reset on ><password> ".length());
        lab.createUser(user, password, rules);
        return "redis://" + user + "@" + RedisLab.host() + ":" + lab.port(node);
    }
}
