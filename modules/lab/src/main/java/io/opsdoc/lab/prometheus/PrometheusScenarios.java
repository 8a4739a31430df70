package io.opsdoc.lab.prometheus;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** prometheus-targets on a real Prometheus 2.42 (Debian), broken through its own config and rule files. */
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
                                .says("LabQueueStuck", "runbook_url")).build());
    }

    @Override
    public Map<String, String> recordedFactsOnly() {
        return Map.of("prometheus-targets#PROMETHEUS_NOT_READY", "/-/ready answers 503 only while Prometheus opens its "
                + "TSDB and replays the WAL at start-up, well under a second for the lab's small data directory: "
                + "nothing holds it not-ready long enough to probe; decided on the recorded 503 answer in "
                + "PrometheusTargetsRecordedFactsTest");
    }

    private static Scenario.Builder<PrometheusLab> prometheus(String id, String story) {
        return Scenario.<PrometheusLab>of(id, story).checks("prometheus-targets").target(PrometheusLab::target)
                .timeout(Duration.ofSeconds(10));
    }
}
