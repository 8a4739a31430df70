package io.opsdoc.checks.prometheus;

import java.util.List;

/**
 * What prometheus-targets read from one server: the ready answer, and (when ready) the active targets, the rules and
 * the alerts, reduced to the fields the evaluation uses. Annotations other than runbook_url are not kept: they can
 * hold anything an operator wrote.
 *
 * @param readyStatus HTTP status of {@code /-/ready}
 * @param readyBody   its body, first line, at most 200 characters
 */
public record PrometheusFacts(String url, int readyStatus, String readyBody, List<ScrapeTarget> targets,
        List<Rule> rules, List<Alert> alerts) {

    /** One entry of {@code activeTargets}. */
    public record ScrapeTarget(String job, String scrapePool, String instance, String scrapeUrl, String health,
            String lastError) {
    }

    /** One rule of {@code /api/v1/rules}, with its group and file. */
    public record Rule(String group, String file, String name, String type, String health, String lastError,
            String query) {
    }

    /** One alert of {@code /api/v1/alerts}; runbookUrl is null when the annotation is absent or empty. */
    public record Alert(String alertname, String state, String severity, String runbookUrl, String activeAt) {
    }

    public boolean ready() {
        return readyStatus == 200;
    }
}
