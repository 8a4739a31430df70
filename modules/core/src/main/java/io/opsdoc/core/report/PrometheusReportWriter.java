package io.opsdoc.core.report;

import io.opsdoc.core.Report;
import io.opsdoc.core.gate.Outcome;
import java.io.PrintStream;

/**
 * {@code --format prometheus}: the runs of a check or gate for node_exporter's textfile collector, through the same
 * encoder as {@code /probe} ({@link PrometheusExposition}), with a {@code target} label because one file covers
 * several targets.
 */
public final class PrometheusReportWriter implements ReportWriter {

    @Override
    public void write(Outcome o, PrintStream out) {
        PrometheusExposition exposition = new PrometheusExposition();
        for (int i = 0; i < o.reports().size(); i++) {
            Report r = o.reports().get(i);
            String target = o.targetName(i) == null ? r.target() : o.targetName(i);
            exposition.add(new PrometheusExposition.Run(r, target, o.status(r), o::isWaived, null));
        }
        out.print(exposition.text());
    }
}
