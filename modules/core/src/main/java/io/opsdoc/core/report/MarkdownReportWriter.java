package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.gate.Outcome;
import java.io.PrintStream;
import java.util.List;

/** For a merge-request comment: the verdict and counts, a table of problems worst first, then what passed. */
public final class MarkdownReportWriter implements ReportWriter {

    @Override
    public void write(Outcome o, PrintStream out) {
        Counts counts = Counts.of(o);
        out.println("### opsdoc: " + o.status());
        out.println();
        out.println(counts.sentence() + ".");
        List<Finding> problems = Ordering.sorted(o.findings().stream().filter(f -> f.severity().isProblem()).toList());
        if (!problems.isEmpty()) {
            out.println();
            out.println("| Severity | Target | Check | Code | What | Runbook |");
            out.println("|---|---|---|---|---|---|");
            for (Finding f : problems) {
                String sev = o.isWaived(f) ? "~~" + f.severity() + "~~ waived" : "**" + f.severity() + "**";
                out.println("| " + sev + " | " + cell(f.target()) + " | " + cell(f.check()) + " | `" + f.code() + "`"
                        + (f.subject() == null ? "" : " " + cell(f.subject())) + " | " + cell(f.summary() + Marks.of(o, f))
                        + " | `" + f.note() + "` |");
            }
        }
        List<Report> passing = o.reports().stream().filter(r -> !o.status(r).isProblem()).toList();
        if (!passing.isEmpty()) {
            out.println();
            out.println("<details><summary>Passing (" + passing.size() + ")</summary>");
            out.println();
            passing.forEach(r -> out.println("- " + (o.status(r) == Severity.INFO ? "INFO" : "OK") + " `" + r.check() + "` on "
                    + cell(r.target())));
            out.println();
            out.println("</details>");
        }
        if (!o.resolved().isEmpty()) {
            out.println();
            out.println("Resolved since the baseline: " + String.join(", ", o.resolved().stream()
                    .map(f -> "`" + f.code() + "` on " + cell(f.target())).toList()) + ".");
        }
    }

    /** A table cell cannot hold a pipe or a line break. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
