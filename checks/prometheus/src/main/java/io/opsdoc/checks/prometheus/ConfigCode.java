package io.opsdoc.checks.prometheus;

import io.opsdoc.core.CheckCode;

/** The codes of prometheus-config; explained in docs/notes/en/prometheus/config-reload.md. */
public enum ConfigCode implements CheckCode {
    CONFIG_RELOAD_FAILED("the last configuration reload failed: Prometheus still runs the config and rules it loaded "
            + "before, and would not start with the files on disk");

    private final String title;

    ConfigCode(String title) {
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
