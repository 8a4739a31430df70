package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The one Prometheus text encoder (format 0.0.4) behind both {@code opsdoc serve}'s {@code /probe} and
 * {@code --format prometheus}, so the two faces expose the same series with the same labels:
 * <ul>
 * <li>{@code opsdoc_probe_success} 1 when the check reached a verdict (it measured the target), 0 when it could not
 * (UNKNOWN, or the probe was rejected without running): blackbox_exporter's {@code probe_success}, which says
 * "I could look", while {@code opsdoc_check_status} says what was seen;</li>
 * <li>{@code opsdoc_check_status}, {@code opsdoc_check_duration_seconds}, {@code opsdoc_probe_rejected{reason}};</li>
 * <li>{@code opsdoc_finding{code,severity[,subject]}} for each finding that is not waived (a waiver means "do not
 * alert on this"), and {@code opsdoc_findings_waived} counting those that are;</li>
 * <li>each measured metric named by {@link PrometheusNames} in base units.</li>
 * </ul>
 * Every series carries {@code check}. A report file covers several targets, so there every series also carries
 * {@code target}; {@code /probe} answers for one target and Prometheus adds it as {@code instance} (the multi-target
 * exporter pattern), so there it does not. No label is ever empty: a finding without a subject has no subject label.
 */
public final class PrometheusExposition {

    /** One check run to expose. {@code target} null: the scraper knows it. {@code rejected}: why it did not run. */
    public record Run(Report report, String target, Severity status, Predicate<Finding> waived, String rejected) {
        public static Run probe(Report report, String rejected) {
            return new Run(report, null, report.status(), f -> false, rejected);
        }
    }

    private final Map<String, Family> families = new TreeMap<>();

    public static String probe(Report report, String rejected) {
        return new PrometheusExposition().add(Run.probe(report, rejected)).text();
    }

    public PrometheusExposition add(Run run) {
        Report r = run.report();
        Map<String, String> base = new LinkedHashMap<>();
        base.put("check", r.check());
        if (run.target() != null) {
            base.put("target", run.target());
        }
        boolean measured = run.rejected() == null && run.status() != Severity.UNKNOWN;
        family("opsdoc_probe_success", "1 when the check reached a verdict on the target, 0 when it could not measure it.")
                .add(base, measured ? 1 : 0);
        if (run.rejected() != null) {
            family("opsdoc_probe_rejected", "1: opsdoc answered without running the check, for this reason.")
                    .add(with(base, "reason", run.rejected()), 1);
        }
        family("opsdoc_check_status", "Worst unwaived severity as a Nagios code: 0 OK or INFO, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.")
                .add(base, run.status().exitCode());
        family("opsdoc_check_duration_seconds", "How long the check took.").add(base, r.durationSeconds());
        int waived = 0;
        for (Finding f : r.findings()) {
            if (run.waived().test(f)) {
                waived++;
                continue;
            }
            Map<String, String> l = with(base, "code", f.code());
            l.put("severity", f.severity().name());
            if (f.subject() != null && !f.subject().isEmpty()) {
                l.put("subject", f.subject());
            }
            family("opsdoc_finding", "A finding of the check: 1 while it is present.").add(l, 1);
        }
        if (waived > 0) {
            family("opsdoc_findings_waived", "Findings present but waived by the baseline, so not exposed as opsdoc_finding.")
                    .add(base, waived);
        }
        for (Metric m : r.metrics()) {
            Map<String, String> l = new LinkedHashMap<>(base);
            m.labels().forEach((k, v) -> l.put(labelName(k), v));
            PrometheusNames.Sample s = PrometheusNames.of(r.check(), m, r.startedAt());
            family(s.name(), s.help()).add(l, s.value());
        }
        return this;
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        families.forEach((name, fam) -> {
            b.append("# HELP ").append(name).append(' ').append(fam.help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            b.append("# TYPE ").append(name).append(" gauge\n");
            fam.samples.forEach(s -> b.append(s).append('\n'));
        });
        return b.toString();
    }

    private Family family(String name, String help) {
        return families.computeIfAbsent(name, n -> new Family(n, help));
    }

    private static Map<String, String> with(Map<String, String> base, String k, String v) {
        Map<String, String> l = new LinkedHashMap<>(base);
        l.put(k, v);
        return l;
    }

    private static String labelName(String k) {
        String n = k.replaceAll("[^a-zA-Z0-9_]", "_");
        return Character.isDigit(n.charAt(0)) ? "_" + n : n;
    }

    static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static final class Family {
        final String name;
        final String help;
        final List<String> samples = new ArrayList<>();

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
            samples.add(b.append("} ").append(value(value)).toString());
        }

        private static String escape(String v) {
            return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        }
    }
}
