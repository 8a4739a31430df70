package io.opsdoc.core.gate;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.config.Waiver;
import java.util.List;
import java.util.Map;

/**
 * Everything a run produced, as every report format needs it: the reports (each with the config's target name when
 * it came from a gate), which findings are waived, how each compares with a baseline, and what the baseline had that
 * is now gone. A plain {@code opsdoc check} is an outcome with no waivers and no baseline.
 *
 * @param targetNames report index to the config's target name (absent for {@code check})
 * @param waived      fingerprint to the waiver that covers it
 * @param changes     fingerprint to NEW or PERSISTING; empty when no baseline was given
 * @param resolved    findings of the baseline that no longer occur
 */
public record Outcome(List<Report> reports, Map<Integer, String> targetNames, Map<String, Waiver> waived,
        Map<String, Change> changes, List<Finding> resolved, boolean baseline) {

    public static Outcome of(List<Report> reports) {
        return new Outcome(reports, Map.of(), Map.of(), Map.of(), List.of(), false);
    }

    public String targetName(int reportIndex) {
        return targetNames.get(reportIndex);
    }

    public boolean isWaived(Finding f) {
        return waived.containsKey(f.fingerprint());
    }

    public Waiver waiver(Finding f) {
        return waived.get(f.fingerprint());
    }

    public Change change(Finding f) {
        return changes.get(f.fingerprint());
    }

    /** The report's status counting only findings that are not waived. */
    public Severity status(Report r) {
        return r.findings().stream().filter(f -> !isWaived(f)).map(Finding::severity).reduce(Severity.OK, Severity::worst);
    }

    /** The worst unwaived severity over all reports. */
    public Severity status() {
        return reports.stream().map(this::status).reduce(Severity.OK, Severity::worst);
    }

    public List<Finding> findings() {
        return reports.stream().flatMap(r -> r.findings().stream()).toList();
    }
}
