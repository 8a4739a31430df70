package io.opsdoc.core;

import java.time.Instant;
import java.util.List;

/** One check on one target: the worst severity, what was found, what was measured, how long it took. */
public record Report(String check, String target, Severity status, List<Finding> findings, List<Metric> metrics,
        double durationSeconds, Instant startedAt) {

    public static Report of(String check, String target, Evaluation evaluation, double durationSeconds, Instant startedAt) {
        return new Report(check, target, evaluation.status(), evaluation.findings(), evaluation.metrics(),
                durationSeconds, startedAt);
    }

    public static Severity worst(List<Report> reports) {
        return reports.stream().map(Report::status).reduce(Severity.OK, Severity::worst);
    }
}
