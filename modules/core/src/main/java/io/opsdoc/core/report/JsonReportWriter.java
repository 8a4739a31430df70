package io.opsdoc.core.report;

import io.opsdoc.core.Json;
import io.opsdoc.core.OpsdocVersion;
import io.opsdoc.core.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code opsdoc.report/v1}: one document for all reports of a run, with the overall status and exit code, so a
 * pipeline can read a single file. Fields are only ever added within v1.
 */
public final class JsonReportWriter implements ReportWriter {
    public static final String SCHEMA = "opsdoc.report/v1";

    @Override
    public void write(List<Report> reports, PrintStream out) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("opsdocVersion", OpsdocVersion.get());
        doc.put("status", Report.worst(reports));
        doc.put("exitCode", Report.worst(reports).exitCode());
        doc.put("reports", reports.stream().map(r -> new Report(r.check(), r.target(), r.status(),
                Ordering.sorted(r.findings()), r.metrics(), r.durationSeconds(), r.startedAt())).toList());
        try {
            out.println(Json.mapper().writeValueAsString(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
