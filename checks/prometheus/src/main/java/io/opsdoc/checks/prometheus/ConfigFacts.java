package io.opsdoc.checks.prometheus;

import java.time.Instant;

/**
 * What prometheus-config read: {@code /api/v1/status/runtimeinfo} ({@code reloadConfigSuccess}, {@code lastConfigTime})
 * and the {@code config.file} flag of {@code /api/v1/status/flags}.
 *
 * @param lastConfigTime when the running configuration was loaded (the last successful load: start-up or reload);
 *                       null when the server did not say
 * @param configFile     the server's --config.file as it was started, relative to {@code cwd} when not absolute
 * @param observedAt     when the answer was read, to say how old the running configuration is
 */
public record ConfigFacts(String url, boolean reloadConfigSuccess, Instant lastConfigTime, Instant startTime,
        String configFile, String cwd, Instant observedAt) {
}
