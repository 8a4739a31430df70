package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.gate.Outcome;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Nagios plugin output: {@code SERVICE STATUS - text | perfdata} on the first line, then one line per finding as
 * long text. Perfdata follows the plugin guidelines: {@code 'label'=value[UOM];warn;crit}.
 */
public final class NagiosReportWriter implements ReportWriter {

    @Override
    public void write(Outcome o, PrintStream out) {
        List<Report> reports = o.reports();
        Severity status = o.status();
        String service = reports.size() == 1 ? reports.get(0).check().toUpperCase(Locale.ROOT) : "OPSDOC";
        List<Finding> all = reports.stream().flatMap(r -> r.findings().stream()).toList();
        List<Finding> problems = Ordering.sorted(all.stream().filter(f -> f.severity().isProblem() && !o.isWaived(f)).toList());
        String text;
        if (!problems.isEmpty()) {
            text = problems.stream().map(f -> f.code() + (f.subject() == null ? "" : "[" + f.subject() + "]") + ": " + f.summary())
                    .collect(Collectors.joining("; "));
        } else {
            List<String> info = all.stream().filter(f -> f.severity() == Severity.INFO).map(Finding::code).distinct().toList();
            text = info.isEmpty() ? "no findings" : "no problems (info: " + String.join(", ", info) + ")";
        }
        String perf = perfdata(reports);
        out.println(service + " " + status + " - " + oneLine(text) + (perf.isEmpty() ? "" : " | " + perf));
        for (Report r : reports) {
            for (Finding f : Ordering.sorted(r.findings())) {
                out.println(f.severity() + " " + (reports.size() > 1 ? r.check() + " " : "") + f.code()
                        + (f.subject() == null ? "" : "[" + f.subject() + "]") + ": " + oneLine(f.summary())
                        + " (note " + f.note() + ")" + oneLine(Marks.of(o, f)));
            }
        }
    }

    private static String perfdata(List<Report> reports) {
        List<String> items = new ArrayList<>();
        for (Report r : reports) {
            for (Metric m : r.metrics()) {
                String label = (reports.size() > 1 ? r.check() + "_" : "") + m.name()
                        + m.labels().values().stream().map(v -> "_" + v).collect(Collectors.joining());
                items.add(quote(label) + "=" + number(m.value()) + uom(m.unit()) + ";" + opt(m.warn()) + ";" + opt(m.crit()));
            }
        }
        return String.join(" ", items);
    }

    private static String uom(String unit) {
        return switch (unit == null ? "" : unit) {
            case "s", "%", "B", "KB", "MB", "GB", "TB", "c", "us", "ms" -> unit;
            default -> "";
        };
    }

    private static String quote(String label) {
        return label.matches("[A-Za-z0-9_.-]+") ? label : "'" + label.replace("'", "''") + "'";
    }

    private static String opt(Double d) {
        return d == null ? "" : number(d);
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** The first line must stay one line, and '|' would start perfdata. */
    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('|', '/');
    }
}
