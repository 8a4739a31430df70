package io.opsdoc.checks.prometheus;

import io.opsdoc.core.CheckCode;

/** The finding codes of prometheus-targets, each a section of the note prometheus/targets-and-rules. */
enum TargetsCode implements CheckCode {
    PROMETHEUS_NOT_READY("/-/ready does not answer 200: the server is starting (WAL replay) or shutting down"),
    TARGET_DOWN("scrape targets of a job are down (up == 0), each with the error of its last scrape"),
    EXPORTER_MISSING("a job named in expected-jobs has no active target at all: nothing scrapes that exporter"),
    RULE_EVALUATION_FAILURES("recording or alerting rules fail to evaluate (lastError): their series and alerts are missing"),
    ALERT_WITHOUT_RUNBOOK("a firing alert carries no runbook_url annotation: whoever is paged has nothing to follow");

    private final String title;

    TargetsCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return PrometheusTargets.NOTE;
    }
}
