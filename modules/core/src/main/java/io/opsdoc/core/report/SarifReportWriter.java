package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.OpsdocVersion;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.config.Waiver;
import io.opsdoc.core.gate.Change;
import io.opsdoc.core.gate.Outcome;
import io.opsdoc.core.notes.NoteCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SARIF 2.1.0, for code-scanning dashboards: one rule per check#code with the note's opening as {@code help} and
 * {@code helpUri} pointing at the note section, one result per finding with the target as its location.
 *
 * <p>Severity mapping: CRITICAL is an error and WARNING a warning (kind fail); UNKNOWN is kind {@code open} ("could
 * not determine pass or fail", exactly what UNKNOWN means) and INFO kind {@code informational}, both at level none as
 * the spec requires for non-fail kinds. Waived findings carry an accepted external suppression; with a baseline,
 * {@code baselineState} is new or unchanged.
 */
public final class SarifReportWriter implements ReportWriter {
    public static final String DEFAULT_NOTES_URL = "urn:opsdoc:note:";
    private final NoteCatalog notes;
    private final String notesUrl;

    /** @param notesUrl base that a note reference such as {@code mysql/replication#sql-error} is appended to */
    public SarifReportWriter(NoteCatalog notes, String notesUrl) {
        this.notes = notes;
        this.notesUrl = notesUrl;
    }

    @Override
    public void write(Outcome o, PrintStream out) {
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<Map<String, Object>> rules = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        for (Report r : o.reports()) {
            for (Finding f : Ordering.sorted(r.findings())) {
                String ruleId = f.check() + "/" + f.code();
                Integer index = ruleIndex.get(ruleId);
                if (index == null) {
                    index = rules.size();
                    ruleIndex.put(ruleId, index);
                    rules.add(rule(ruleId, f));
                }
                results.add(result(o, f, ruleId, index));
            }
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "opsdoc");
        driver.put("semanticVersion", OpsdocVersion.get().replace("-SNAPSHOT", ""));
        driver.put("version", OpsdocVersion.get());
        driver.put("rules", rules);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        log.put("runs", List.of(run));
        try {
            out.println(Json.mapper().writeValueAsString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> rule(String ruleId, Finding f) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", ruleId);
        rule.put("name", f.code());
        var lookup = notes.lookup(f.note(), NoteCatalog.ENGLISH);
        String title = lookup.map(l -> l.note().title() + ": " + f.code()).orElse(f.code());
        rule.put("shortDescription", Map.of("text", title));
        rule.put("helpUri", notesUrl + f.note());
        String excerpt = lookup.map(l -> TextReportWriter.plain(l.section().excerpt())).orElse("See note " + f.note() + ".");
        Map<String, Object> help = new LinkedHashMap<>();
        help.put("text", excerpt + " Full runbook: " + Marks.explain(f));
        lookup.ifPresent(l -> help.put("markdown", l.section().markdown()));
        rule.put("help", help);
        rule.put("properties", Map.of("note", f.note()));
        return rule;
    }

    private static Map<String, Object> result(Outcome o, Finding f, String ruleId, int index) {
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("ruleId", ruleId);
        res.put("ruleIndex", index);
        res.put("kind", switch (f.severity()) {
            case CRITICAL, WARNING -> "fail";
            case UNKNOWN -> "open";
            default -> "informational";
        });
        res.put("level", f.severity() == Severity.CRITICAL ? "error" : f.severity() == Severity.WARNING ? "warning" : "none");
        res.put("message", Map.of("text", f.summary()));
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("physicalLocation", Map.of("artifactLocation", Map.of("uri", f.target())));
        if (f.subject() != null) {
            location.put("logicalLocations", List.of(Map.of("name", f.subject(), "fullyQualifiedName",
                    f.target() + "/" + f.subject(), "kind", "resource")));
        }
        res.put("locations", List.of(location));
        res.put("partialFingerprints", Map.of("opsdocFingerprint/v1", f.fingerprint()));
        Waiver w = o.waiver(f);
        if (w != null) {
            res.put("suppressions", List.of(Map.of("kind", "external", "status", "accepted",
                    "justification", w.reason() + " (owner " + w.owner() + ", until " + w.expires() + ")")));
        }
        Change c = o.change(f);
        if (c != null) {
            res.put("baselineState", c == Change.NEW ? "new" : "unchanged");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("severity", f.severity().name());
        props.put("evidence", f.evidence());
        props.put("note", f.note());
        res.put("properties", props);
        return res;
    }
}
