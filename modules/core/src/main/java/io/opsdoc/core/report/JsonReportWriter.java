package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.OpsdocVersion;
import io.opsdoc.core.Report;
import io.opsdoc.core.config.Waiver;
import io.opsdoc.core.gate.Change;
import io.opsdoc.core.gate.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code opsdoc.report/v1}: one document for a whole run, with the overall status and exit code, so a pipeline reads a
 * single file; it is also what {@code --baseline} reads back. Within v1 fields are only ever added.
 * Documented in docs/report-json.md.
 */
public final class JsonReportWriter implements ReportWriter {
    public static final String SCHEMA = "opsdoc.report/v1";

    @Override
    public void write(Outcome o, PrintStream out) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("opsdocVersion", OpsdocVersion.get());
        doc.put("status", o.status());
        doc.put("exitCode", o.status().exitCode());
        doc.put("counts", Counts.of(o).asMap());
        List<Map<String, Object>> reports = new ArrayList<>();
        for (int i = 0; i < o.reports().size(); i++) {
            Report r = o.reports().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", r.check());
            m.put("target", r.target());
            if (o.targetName(i) != null) {
                m.put("targetName", o.targetName(i));
            }
            m.put("status", o.status(r));
            m.put("findings", Ordering.sorted(r.findings()).stream().map(f -> finding(o, f)).toList());
            m.put("metrics", r.metrics());
            m.put("durationSeconds", r.durationSeconds());
            m.put("startedAt", r.startedAt());
            reports.add(m);
        }
        doc.put("reports", reports);
        if (o.baseline()) {
            doc.put("resolved", o.resolved());
        }
        try {
            out.println(Json.mapper().writeValueAsString(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> finding(Outcome o, Finding f) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.mapper().convertValue(f, LinkedHashMap.class);
        Waiver w = o.waiver(f);
        if (w != null) {
            Map<String, Object> wm = new LinkedHashMap<>();
            wm.put("reason", w.reason());
            wm.put("owner", w.owner());
            wm.put("expires", w.expires().toString());
            m.put("waived", wm);
        }
        Change c = o.change(f);
        if (c != null) {
            m.put("change", c.name().toLowerCase(Locale.ROOT));
        }
        return m;
    }
}
