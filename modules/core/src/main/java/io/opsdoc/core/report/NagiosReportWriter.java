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
        String perf = perfdata(o);
        out.println(service + " " + status + " - " + oneLine(text) + (perf.isEmpty() ? "" : " | " + perf));
        for (Report r : reports) {
            for (Finding f : Ordering.sorted(r.findings())) {
                out.println(f.severity() + " " + (reports.size() > 1 ? r.check() + " " : "") + f.code()
                        + (f.subject() == null ? "" : "[" + f.subject() + "]") + ": " + oneLine(f.summary())
                        + " (note " + f.note() + ")" + oneLine(Marks.of(o, f)));
            }
        }
    }

    /**
     * One item per metric, each label unique (Nagios and Icinga key their graphs by label, so a repeated label
     * overwrites): the target when the outcome spans several targets, the check when it spans several checks, then
     * the metric and its label values, joined by '/'. A label still repeated gets a counter.
     */
    private static String perfdata(Outcome o) {
        List<Report> reports = o.reports();
        boolean severalTargets = java.util.stream.IntStream.range(0, reports.size()).mapToObj(i -> target(o, i)).distinct().count() > 1;
        boolean severalChecks = reports.stream().map(Report::check).distinct().count() > 1;
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            for (Metric m : r.metrics()) {
                List<String> parts = new ArrayList<>();
                if (severalTargets) {
                    parts.add(target(o, i));
                }
                if (severalChecks) {
                    parts.add(r.check());
                }
                parts.add(m.name() + m.labels().values().stream().map(v -> "_" + v).collect(Collectors.joining()));
                String label = String.join("/", parts);
                int n = seen.merge(label, 1, Integer::sum);
                if (n > 1) {
                    label = label + "_" + n;
                }
                items.add(quote(label) + "=" + number(m.value()) + uom(m.unit()) + ";" + opt(m.warn()) + ";" + opt(m.crit()));
            }
        }
        return String.join(" ", items);
    }

    private static String target(Outcome o, int i) {
        return o.targetName(i) == null ? o.reports().get(i).target() : o.targetName(i);
    }

    private static String uom(String unit) {
        return switch (unit == null ? "" : unit) {
            case "s", "%", "B", "KB", "MB", "GB", "TB", "c", "us", "ms" -> unit;
            default -> "";
        };
    }

    private static String quote(String label) {
        // '=' ends a label and cannot be escaped: it becomes '_'
        String l = label.replace('=', '_');
        return l.matches("[A-Za-z0-9_.-]+") ? l : "'" + l.replace("'", "''") + "'";
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
