package io.opsdoc.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Report;
import java.util.Locale;

/**
 * One probe's report as Prometheus exposition, written through a registry made for this scrape alone (the
 * multi-target exporter pattern: Prometheus adds the target labels, the series describe only this run).
 */
final class ProbeExposition {
    private ProbeExposition() {
    }

    static String of(Report r) {
        return of(r, null);
    }

    /** With {@code rejected} ({@code queue_full}, {@code deadline}), the probe did not run: the series says why. */
    static String of(Report r, String rejected) {
        PrometheusMeterRegistry reg = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Tags check = Tags.of("check", r.check());
        if (rejected != null) {
            Gauge.builder("opsdoc.probe.rejected", () -> 1).description("1: opsdoc answered without running the check, for this reason")
                    .tags(check.and("reason", rejected)).register(reg);
        }
        Gauge.builder("opsdoc.check.status", () -> r.status().exitCode())
                .description("worst severity as a Nagios code: 0 OK or INFO, 1 WARNING, 2 CRITICAL, 3 UNKNOWN")
                .tags(check).register(reg);
        Gauge.builder("opsdoc.check.duration", r::durationSeconds).baseUnit("seconds").description("how long the check took")
                .tags(check).register(reg);
        for (Finding f : r.findings()) {
            Tags t = check.and("code", f.code(), "severity", f.severity().name(), "subject", f.subject() == null ? "" : f.subject());
            Gauge.builder("opsdoc.finding", () -> 1).description("a finding of the check, 1 while present").tags(t).register(reg);
        }
        for (Metric m : r.metrics()) {
            Tags t = check;
            for (var e : m.labels().entrySet()) {
                t = t.and(e.getKey(), e.getValue());
            }
            String name = ("opsdoc." + r.check() + "." + m.name()).replace('-', '.').toLowerCase(Locale.ROOT);
            Gauge.builder(name, m::value).description(m.name() + " measured by " + r.check()).tags(t).register(reg);
        }
        return reg.scrape();
    }
}
