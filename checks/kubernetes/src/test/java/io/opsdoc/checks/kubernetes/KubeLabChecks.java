package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.Check;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Run;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs Kubernetes checks the way the CLI does (runner, deadline) and picks findings out of reports. */
final class KubeLabChecks {
    private static final Runner RUNNER = new Runner();

    private KubeLabChecks() {
    }

    static <F> Run run(Check<F> check, String uri, Map<String, String> params, Duration timeout) {
        return RUNNER.run(check, Target.parse(uri), Parameters.resolve(check.id(), check.parameters(), params),
                Optional.empty(), timeout);
    }

    static <F> Report report(Check<F> check, String uri) {
        return run(check, uri, Map.of(), Duration.ofSeconds(10)).report();
    }

    static List<String> codes(Report r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    static Finding finding(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + codes(r) + ": " + r.findings()));
    }

    static double metric(Report r, String name) {
        return r.metrics().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + r.metrics())).value();
    }
}
