package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.gate.Outcome;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * JUnit XML as CI servers read it (the Ant/Surefire dialect): one testcase per check x target, classname = target,
 * name = check. WARNING and CRITICAL become {@code <failure>}, UNKNOWN an {@code <error>} (the check could not
 * decide: infrastructure, not a verdict), everything else passes; waived and INFO findings go to system-out.
 */
public final class JUnitReportWriter implements ReportWriter {

    @Override
    public void write(Outcome o, PrintStream out) {
        int failures = 0;
        int errors = 0;
        double time = 0;
        for (Report r : o.reports()) {
            Severity s = o.status(r);
            failures += s == Severity.WARNING || s == Severity.CRITICAL ? 1 : 0;
            errors += s == Severity.UNKNOWN ? 1 : 0;
            time += r.durationSeconds();
        }
        String totals = String.format(Locale.ROOT, "tests=\"%d\" failures=\"%d\" errors=\"%d\"", o.reports().size(), failures, errors);
        String seconds = String.format(Locale.ROOT, " time=\"%.3f\"", time);
        out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        // no skipped= on <testsuites>: Jenkins xunit's junit-10.xsd rejects it there (it belongs to <testsuite>)
        out.println("<testsuites name=\"opsdoc\" " + totals + seconds + ">");
        out.println("  <testsuite name=\"opsdoc\" " + totals + " skipped=\"0\"" + seconds + ">");
        for (int i = 0; i < o.reports().size(); i++) {
            Report r = o.reports().get(i);
            String target = o.targetName(i) == null ? r.target() : o.targetName(i);
            out.printf(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\">%n", xml(target), xml(r.check()),
                    r.durationSeconds());
            Severity status = o.status(r);
            List<Finding> counted = Ordering.sorted(r.findings().stream()
                    .filter(f -> !o.isWaived(f) && f.severity().isProblem()).toList());
            if (!counted.isEmpty()) {
                String element = status == Severity.UNKNOWN ? "error" : "failure";
                Finding worst = counted.get(0);
                out.printf("      <%s type=\"%s\" message=\"%s\">%s</%s>%n", element, status,
                        xml(worst.code() + ": " + worst.summary()), xml(details(o, counted)), element);
            }
            List<Finding> rest = r.findings().stream().filter(f -> o.isWaived(f) || !f.severity().isProblem()).toList();
            if (!rest.isEmpty()) {
                out.println("      <system-out>" + xml(details(o, rest)) + "</system-out>");
            }
            out.println("    </testcase>");
        }
        out.println("  </testsuite>");
        out.println("</testsuites>");
    }

    private static String details(Outcome o, List<Finding> findings) {
        StringBuilder b = new StringBuilder();
        for (Finding f : findings) {
            b.append(f.severity()).append(' ').append(f.code()).append(f.subject() == null ? "" : " [" + f.subject() + "]")
                    .append(Marks.of(o, f)).append(": ").append(f.summary()).append('\n');
            if (!f.evidence().isEmpty()) {
                b.append("  evidence: ").append(TextReportWriter.evidence(f.evidence())).append('\n');
            }
            b.append("  runbook: ").append(f.note()).append(" (").append(Marks.explain(f)).append(")\n");
        }
        return b.toString();
    }

    /** XML 1.0 text and attribute escaping; characters XML cannot carry at all are dropped. */
    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000) {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }
}
