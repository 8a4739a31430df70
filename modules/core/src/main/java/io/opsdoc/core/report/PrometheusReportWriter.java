package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Report;
import io.opsdoc.core.gate.Outcome;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus text exposition for node_exporter's textfile collector: per check run its status, duration and each
 * finding, plus every measured metric as {@code opsdoc_<check>_<metric>} in base units ({@link PrometheusNames}). Samples of one metric name are grouped
 * under one HELP/TYPE, as the format requires.
 */
public final class PrometheusReportWriter implements ReportWriter {

    @Override
    public void write(Outcome o, PrintStream out) {
        Map<String, Family> families = new TreeMap<>();
        for (int i = 0; i < o.reports().size(); i++) {
            Report r = o.reports().get(i);
            String target = o.targetName(i) == null ? r.target() : o.targetName(i);
            Map<String, String> base = new LinkedHashMap<>();
            base.put("check", r.check());
            base.put("target", target);
            family(families, "opsdoc_check_status", "Worst unwaived severity as a Nagios code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.")
                    .add(base, o.status(r).exitCode());
            family(families, "opsdoc_check_duration_seconds", "How long the check took.").add(base, r.durationSeconds());
            for (Finding f : r.findings()) {
                Map<String, String> l = new LinkedHashMap<>(base);
                l.put("code", f.code());
                l.put("severity", f.severity().name());
                if (f.subject() != null) {
                    l.put("subject", f.subject());
                }
                l.put("waived", Boolean.toString(o.isWaived(f)));
                family(families, "opsdoc_finding", "A finding of the check: 1 while it is present.").add(l, 1);
            }
            for (Metric m : r.metrics()) {
                Map<String, String> l = new LinkedHashMap<>(base);
                l.remove("check");
                l.putAll(m.labels());
                PrometheusNames.Sample s = PrometheusNames.of(r.check(), m, r.startedAt());
                family(families, s.name(), s.help()).add(l, s.value());
            }
        }
        families.forEach((name, fam) -> {
            out.println("# HELP " + name + " " + fam.help);
            out.println("# TYPE " + name + " gauge");
            fam.samples.forEach(out::println);
        });
    }

    private static Family family(Map<String, Family> families, String name, String help) {
        return families.computeIfAbsent(name, n -> new Family(n, help));
    }

    private static final class Family {
        final String name;
        final String help;
        final List<String> samples = new java.util.ArrayList<>();

        Family(String name, String help) {
            this.name = name;
            this.help = help;
        }

        void add(Map<String, String> labels, double value) {
            StringBuilder b = new StringBuilder(name).append('{');
            boolean first = true;
            for (Map.Entry<String, String> e : labels.entrySet()) {
                b.append(first ? "" : ",").append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
                first = false;
            }
            b.append("} ").append(value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value));
            samples.add(b.toString());
        }
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
