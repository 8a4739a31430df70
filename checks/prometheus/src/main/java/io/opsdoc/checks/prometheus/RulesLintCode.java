package io.opsdoc.checks.prometheus;

import io.opsdoc.core.CheckCode;

/** The codes of prometheus-rules-lint; explained in docs/notes/en/prometheus/config-reload.md. */
public enum RulesLintCode implements CheckCode {
    RULES_INVALID("promtool check rules rejects a rule file: the next reload that includes it fails");

    private final String title;

    RulesLintCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return PrometheusConfig.NOTE;
    }
}
