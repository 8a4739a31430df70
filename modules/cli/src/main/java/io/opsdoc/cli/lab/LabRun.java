package io.opsdoc.cli.lab;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Target;
import java.time.Duration;
import java.util.Map;

/** Runs one check against a lab server the way `opsdoc check` would: by id, with parameters and a hard deadline. */
final class LabRun {
    private static final CheckRegistry REGISTRY = CheckRegistry.load();
    private static final Runner RUNNER = new Runner();

    private LabRun() {
    }

    /** @param password null for a target that needs none */
    static Report check(String checkId, String targetUri, Map<String, String> params, String password, Duration timeout) {
        Check<?> check = REGISTRY.require(checkId);
        return RUNNER.run(check, Target.parse(targetUri), Parameters.resolve(check.id(), check.parameters(), params),
                java.util.Optional.ofNullable(password).map(p -> Secret.of(p, "the lab")), timeout).report();
    }
}
