package io.opsdoc.core.config;

import io.opsdoc.core.alerts.AlertMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * opsdoc.yaml: named targets with their checks, defaults, and waivers. Shared by {@code opsdoc gate},
 * {@code opsdoc grants -c} and (later) {@code opsdoc serve}.
 *
 * @param concurrency most check runs in flight at once, over all targets
 * @param perTarget   most check runs in flight against one target, so a gate never floods one server
 * @param alerts      user mappings from alert names to note, check and target, for {@code opsdoc serve} and rules lint
 * @param forward     receivers that {@code opsdoc serve} forwards verdicts to
 * @param warnings    things that are accepted but unwise (a plain-text password), for the CLI to print
 */
public record OpsdocConfig(Path source, Duration timeout, int concurrency, int perTarget,
        Map<String, TargetConfig> targets, List<Waiver> waivers, Map<String, AlertMapping> alerts,
        List<ForwardConfig> forward, List<String> warnings) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CONCURRENCY = 32;
    public static final int DEFAULT_PER_TARGET = 2;
}
