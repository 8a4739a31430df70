package io.opsdoc.lab.prometheus;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.host.LabSshAccess.HostKey;
import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** prometheus-targets and prometheus-config on a real Prometheus 2.42 (Debian), broken through its own config and rule files. */
public final class PrometheusScenarios implements ScenarioSet<PrometheusLab> {

    @Override
    public String system() {
        return "prometheus";
    }

    @Override
    public String description() {
        return "Debian's prometheus on a loopback port, scraping itself, with an always-firing Watchdog alert";
    }

    @Override
    public List<LabVariant<PrometheusLab>> variants() {
        return List.of(new LabVariant<>("default", PrometheusLab::unavailable, PrometheusLab::start, PrometheusLab::shared));
    }

    @Override
    public List<Scenario<PrometheusLab>> scenarios() {
        return List.of(
                prometheus("prometheus-healthy", "Prometheus scrapes itself, evaluates its rules; only Watchdog fires, "
                        + "with its runbook").param("expected-jobs", "prometheus").healthy()
                        .metrics("prometheus_ready", "prometheus_targets_down", "prometheus_rules_failing",
                                "prometheus_alerts_firing").build(),
                prometheus("prometheus-target-down", "a node-exporter job points at a host where nothing listens")
                        .param("expected-jobs", "prometheus,node-exporter").breaks(PrometheusLab::addDeadTarget)
                        .expect(code("TARGET_DOWN").severity(CRITICAL).evidence("job", "node-exporter")
                                .evidence("down", 1).says("node-exporter", "connection refused"))
                        .absent("EXPORTER_MISSING", "RULE_EVALUATION_FAILURES").build(),
                prometheus("prometheus-exporter-missing", "the cluster's Prometheus was never given node-exporter or "
                        + "kube-state-metrics jobs").param("expected-jobs", "prometheus,node-exporter,kube-state-metrics")
                        .expect(code("EXPORTER_MISSING").severity(CRITICAL).evidence("job", "node-exporter")
                                .says("no active target for job node-exporter"))
                        .expect(code("EXPORTER_MISSING").evidence("job", "kube-state-metrics"))
                        .absent("TARGET_DOWN").build(),
                prometheus("prometheus-rule-fails", "a recording rule joins two series sets with on() and fails "
                        + "every evaluation").breaks(PrometheusLab::addFailingRule)
                        .expect(code("RULE_EVALUATION_FAILURES").severity(CRITICAL).evidence("group", "lab-join")
                                .says("lab:join:sum", "many-to-many")).build(),
                prometheus("prometheus-alert-without-runbook", "an alert fires with a summary but no runbook_url")
                        .breaks(PrometheusLab::addAlertWithoutRunbook)
                        .expect(code("ALERT_WITHOUT_RUNBOOK").severity(WARNING).evidence("alertname", "LabQueueStuck")
                                .says("LabQueueStuck", "runbook_url")).build(),
                config("prometheus-config-healthy", "the last reload of prometheus.yml and its rule file succeeded")
                        .healthy().metrics("prometheus_config_last_reload_successful", "prometheus_config_age_seconds")
                        .build(),
                config("prometheus-config-reload-failed", "someone added an alert written with the notes' invented "
                        + "PromQL ('| timezone(offset: 8h)') and reloaded: the reload failed, the old rules still run, "
                        + "so prometheus-targets sees nothing wrong").checks("prometheus-targets")
                        .breaks(PrometheusLab::failReload)
                        .expect(code("CONFIG_RELOAD_FAILED").severity(CRITICAL).evidence("reloadConfigSuccess", false)
                                .says("still runs the configuration and rules it loaded at", "prometheus.yml",
                                        "Error reloading config", "promtool check config"))
                        .absent("RULE_EVALUATION_FAILURES").build(),
                lint("prometheus-rules-lint-healthy", "promtool accepts the lab's rule file before a deploy").healthy()
                        .metrics("rule_files_checked", "rule_files_invalid", "rules_found").build(),
                lint("prometheus-rules-lint-invalid", "a rule file about to be deployed holds the notes' invented "
                        + "'| timezone(offset: 8h)' and an offset without its duration")
                        .breaks(PrometheusLab::writeInvalidRules)
                        .expect(code("RULES_INVALID").severity(CRITICAL).evidence("error_lines", 2)
                                .says("rules.yml", "LabOffHoursTraffic", "unexpected character: '|'",
                                        "LabYesterdayTraffic", "expected duration")).build(),
                lintOverSsh("prometheus-rules-lint-ssh-invalid", "the same broken rule file, checked over SSH on the "
                        + "Prometheus host by an ordinary user", HostKey.KNOWN).breaks(PrometheusLab::writeInvalidRules)
                        .expect(code("RULES_INVALID").severity(CRITICAL).evidence("error_lines", 2)
                                .says("LabOffHoursTraffic", "unexpected character: '|'")).build(),
                lintOverSsh("prometheus-rules-lint-ssh-host-key-changed", "the Prometheus host's SSH key is not the "
                        + "one pinned in known_hosts", HostKey.CHANGED)
                        .expect(code("SSH_HOST_KEY_CHANGED").severity(UNKNOWN).says("ssh-keygen -R")).build(),
                lintOverSsh("prometheus-rules-lint-ssh-host-key-unknown", "the Prometheus host is not in known_hosts "
                        + "yet", HostKey.UNKNOWN)
                        .expect(code("SSH_HOST_KEY_UNKNOWN").severity(UNKNOWN).says("ssh-keyscan")).build());
    }

    @Override
    public Map<String, String> recordedFactsOnly() {
        return Map.of("prometheus-targets#PROMETHEUS_NOT_READY", "/-/ready answers 503 only while Prometheus opens its "
                + "TSDB and replays the WAL at start-up, well under a second for the lab's small data directory: "
                + "nothing holds it not-ready long enough to probe; decided on the recorded 503 answer in "
                + "PrometheusTargetsRecordedFactsTest");
    }

    private static Scenario.Builder<PrometheusLab> lint(String id, String story) {
        return Scenario.<PrometheusLab>of(id, story).checks("prometheus-rules-lint").target(lab -> "local:")
                .param("rule-files", PrometheusLab::ruleFilesGlob).timeout(Duration.ofSeconds(15));
    }

    /** The first SSH login of a JVM loads the client and does a key exchange: seconds on a busy machine. */
    private static Scenario.Builder<PrometheusLab> lintOverSsh(String id, String story, HostKey key) {
        return Scenario.<PrometheusLab>of(id, story).checks("prometheus-rules-lint").target(lab -> lab.sshTarget(key))
                .password(PrometheusLab::sshPassphrase).param("rule-files", PrometheusLab::ruleFilesGlob)
                .timeout(Duration.ofSeconds(20));
    }

    private static Scenario.Builder<PrometheusLab> config(String id, String story) {
        return Scenario.<PrometheusLab>of(id, story).checks("prometheus-config").target(PrometheusLab::target)
                .timeout(Duration.ofSeconds(10));
    }

    private static Scenario.Builder<PrometheusLab> prometheus(String id, String story) {
        return Scenario.<PrometheusLab>of(id, story).checks("prometheus-targets").target(PrometheusLab::target)
                .timeout(Duration.ofSeconds(10));
    }
}
