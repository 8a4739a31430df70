package io.opsdoc.lab.scenario;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import java.util.List;
import java.util.stream.Collectors;

/** What a scenario's checks reported, and what of its promise they broke (nothing, when it held). */
public record ScenarioResult(Scenario<?> scenario, List<Report> reports, List<String> problems, double seconds) {

    public boolean held() {
        return problems.isEmpty();
    }

    /** The problems, then every finding of every report: enough to see why without re-running. */
    public String explain() {
        StringBuilder b = new StringBuilder("scenario ").append(scenario.id()).append(" (").append(scenario.story())
                .append(")\n");
        problems.forEach(p -> b.append("  - ").append(p).append('\n'));
        for (Report r : reports) {
            b.append("  ").append(r.check()).append(" on ").append(r.target()).append(": ").append(r.status())
                    .append('\n');
            for (Finding f : r.findings()) {
                b.append("    ").append(f.code()).append(' ').append(f.severity()).append(": ").append(f.summary())
                        .append(' ').append(f.evidence()).append('\n');
            }
        }
        return b.toString();
    }

    /** One line: the distinct codes reported, or "no findings". */
    public String codes() {
        String codes = reports.stream().flatMap(r -> r.findings().stream()).map(Finding::code).distinct()
                .collect(Collectors.joining(", "));
        return codes.isEmpty() ? "no findings" : codes;
    }
}
