package io.opsdoc.checks.prometheus;

import static io.opsdoc.checks.prometheus.ConfigCode.CONFIG_RELOAD_FAILED;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * "My new alert rules are not active": when a reload (SIGHUP, {@code POST /-/reload}, the config-reloader sidecar)
 * meets a file it cannot load, Prometheus logs the error and keeps running the configuration and rules it had, so
 * nothing looks broken until the next restart, which then fails. The server says so in
 * {@code /api/v1/status/runtimeinfo} ({@code reloadConfigSuccess}, the metric
 * {@code prometheus_config_last_reload_successful}); this reads it and says since when the running config is stale.
 */
public final class PrometheusConfig extends DescribedCheck<ConfigFacts> {
    public static final String ID = "prometheus-config";
    static final String NOTE = "prometheus/config-reload";

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("Prometheus 2.x HTTP API", List.of(
            "GET /api/v1/status/runtimeinfo", "GET /api/v1/status/flags"),
            "read-only GETs; the check never reloads (no lifecycle endpoint) and needs no admin API. Prometheus has "
                    + "no roles: with web.config.file basic_auth_users give the monitor its own user; behind a proxy "
                    + "allow these two paths only."));

    public PrometheusConfig() {
        super(ID, "prometheus", "Did Prometheus' last configuration reload succeed, or is it still running an older "
                + "config and rule set than the files on disk?", ConfigFacts.class, List.of(), ConfigCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        PrometheusApi.base(target);
    }

    @Override
    public ConfigFacts collect(CheckContext context) throws Exception {
        URI base = PrometheusApi.base(context.target());
        String where = base.getHost() + ":" + base.getPort();
        JsonNode runtime = PrometheusApi.api(context, base, "/api/v1/status/runtimeinfo", where);
        JsonNode success = runtime.get("reloadConfigSuccess");
        if (success == null || !success.isBoolean()) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET /api/v1/status/runtimeinfo on " + where
                    + " has no boolean reloadConfigSuccess: Prometheus older than 2.16, or not Prometheus");
        }
        JsonNode flags = PrometheusApi.api(context, base, "/api/v1/status/flags", where);
        return new ConfigFacts(base.toString(), success.asBoolean(), instant(PrometheusApi.text(runtime, "lastConfigTime")),
                instant(PrometheusApi.text(runtime, "startTime")), PrometheusApi.text(flags, "config.file"),
                PrometheusApi.text(runtime, "CWD"), Instant.now());
    }

    /** RFC 3339 as Prometheus prints it; Go's zero time (0001-01-01T00:00:00Z) means "never", as does garbage. */
    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            Instant t = Instant.parse(s);
            return t.getEpochSecond() <= 0 ? null : t;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public void evaluate(ConfigFacts facts, Parameters p, Evaluation.Builder out) {
        out.metric(Metric.of("prometheus_config_last_reload_successful", facts.reloadConfigSuccess() ? 1 : 0, ""));
        Duration age = facts.lastConfigTime() == null ? null
                : Duration.between(facts.lastConfigTime(), facts.observedAt());
        if (age != null) {
            out.metric(Metric.of("prometheus_config_age_seconds", Math.max(0, age.toSeconds()), "s"));
        }
        if (facts.reloadConfigSuccess()) {
            return;
        }
        String file = configFile(facts);
        String since = facts.lastConfigTime() == null ? "an unknown time"
                : facts.lastConfigTime() + " (" + Runner.human(Duration.ofSeconds(Math.max(0, age.toSeconds()))) + " ago)";
        out.finding(CONFIG_RELOAD_FAILED, Severity.CRITICAL, facts.url() + ": the last reload of " + file
                + " failed, so Prometheus still runs the configuration and rules it loaded at " + since
                + ": every change to the config or its rule files since then (new alerts, new scrape jobs) is not "
                + "active, and a restart with the files as they are would fail. Read why in Prometheus' log (the lines "
                + "before \"Error reloading config\", e.g. \"loading groups failed\" naming the rule file and line) or "
                + "run promtool check config " + file + " on the server; fix the file and reload again (SIGHUP or "
                + "POST /-/reload)",
                Evidence.of("reloadConfigSuccess", false, "lastConfigTime",
                        facts.lastConfigTime() == null ? "" : facts.lastConfigTime().toString(),
                        "config_age_seconds", age == null ? -1 : Math.max(0, age.toSeconds()),
                        "config_file", file, "startTime", facts.startTime() == null ? "" : facts.startTime().toString()));
    }

    /** The config file as a path an operator can use on the server: relative ones resolved against the server's cwd. */
    private static String configFile(ConfigFacts facts) {
        String f = facts.configFile();
        if (f == null || f.isEmpty()) {
            return "the configuration file";
        }
        if (!f.startsWith("/") && facts.cwd() != null && facts.cwd().startsWith("/")) {
            return facts.cwd().endsWith("/") ? facts.cwd() + f : facts.cwd() + "/" + f;
        }
        return f;
    }
}
