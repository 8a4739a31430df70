package io.opsdoc.core.config;

import io.opsdoc.core.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One named target of the config and the checks to run on it.
 *
 * @param checks check id to parameter overrides (raw text, as --set takes them), in file order
 * @param timeout null for the default
 * @param alertInstances label values (an exporter's {@code instance}, a node name) that mean this target in alerts
 */
public record TargetConfig(String name, Target target, SecretRef password, List<String> tags, Duration timeout,
        Map<String, Map<String, String>> checks, List<String> alertInstances) {
}
