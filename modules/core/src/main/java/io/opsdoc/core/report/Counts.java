package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.gate.Change;
import io.opsdoc.core.gate.Outcome;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tallies for summaries: findings by severity (waived counted apart), check runs, targets, baseline changes. */
record Counts(Map<Severity, Integer> bySeverity, int waived, int runs, int targets, boolean baseline, int added, int resolved) {

    static Counts of(Outcome o) {
        Map<Severity, Integer> by = new EnumMap<>(Severity.class);
        int waived = 0;
        int added = 0;
        for (Finding f : o.findings()) {
            if (o.isWaived(f)) {
                waived++;
                continue;
            }
            by.merge(f.severity(), 1, Integer::sum);
            if (o.change(f) == Change.NEW && f.severity().isProblem()) {
                added++;
            }
        }
        int targets = (int) o.reports().stream().map(Report::target).distinct().count();
        return new Counts(by, waived, o.reports().size(), targets, o.baseline(), added, o.resolved().size());
    }

    int count(Severity s) {
        return bySeverity.getOrDefault(s, 0);
    }

    Map<String, Integer> asMap() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Severity s : new Severity[] {Severity.CRITICAL, Severity.UNKNOWN, Severity.WARNING, Severity.INFO}) {
            m.put(s.name().toLowerCase(java.util.Locale.ROOT), count(s));
        }
        m.put("waived", waived);
        return m;
    }

    String sentence() {
        return String.format("%d critical, %d unknown, %d warning, %d info, %d waived; %d check runs on %d targets%s",
                count(Severity.CRITICAL), count(Severity.UNKNOWN), count(Severity.WARNING), count(Severity.INFO), waived,
                runs, targets, baseline ? "; against the baseline: " + added + " new problems, " + resolved + " resolved" : "");
    }
}
