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
    private final NoteCatalog notes;
    private final String notesUrl;
    private final String configPath;
    private final Map<String, Integer> targetLines;

    /**
     * @param notesUrl where {@code opsdoc serve} serves the notes, e.g. {@code http://h:9464/notes} (a trailing slash
     *                 or not): a rule's {@code helpUri} is then {@code <notesUrl>/en/<note-id>#<anchor>}, the page
     *                 serve answers. Null: no {@code helpUri} at all rather than a link that opens nowhere.
     */
    public SarifReportWriter(NoteCatalog notes, String notesUrl) {
        this(notes, notesUrl, null, Map.of());
    }

    /**
     * @param configPath  the gate's config file as the user named it (relative to where code scanning runs)
     * @param targetLines the line of each target's entry in it: results point there, so a dashboard opens the
     *                    config at the target that has the problem
     */
    public SarifReportWriter(NoteCatalog notes, String notesUrl, String configPath, Map<String, Integer> targetLines) {
        this.notes = notes;
        this.notesUrl = notesUrl == null || notesUrl.isBlank() ? null : notesUrl.replaceAll("/+$", "");
        this.configPath = configPath == null ? null : configPath.replace('\\', '/').replaceFirst("^\\./", "");
        this.targetLines = targetLines;
    }

    /** The served page of a note reference such as {@code mysql/replication#sql-error}, or null without a base. */
    public String helpUri(String noteRef) {
        if (notesUrl == null) {
            return null;
        }
        int hash = noteRef.indexOf('#');
        String id = hash < 0 ? noteRef : noteRef.substring(0, hash);
        String anchor = hash < 0 ? "" : noteRef.substring(hash);
        return notesUrl + "/" + NoteCatalog.ENGLISH + "/" + id + anchor;
    }

    @Override
    public void write(Outcome o, PrintStream out) {
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<Map<String, Object>> rules = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < o.reports().size(); i++) {
            Report r = o.reports().get(i);
            for (Finding f : Ordering.sorted(r.findings())) {
                String ruleId = f.check() + "/" + f.code();
                Integer index = ruleIndex.get(ruleId);
                if (index == null) {
                    index = rules.size();
                    ruleIndex.put(ruleId, index);
                    rules.add(rule(ruleId, f));
                }
                results.add(result(o, f, ruleId, index, o.targetName(i)));
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
        // whole paragraphs only: the first one, and the full section as help, never a sentence cut short
        String first = lookup.map(l -> TextReportWriter.plain(l.section().excerpt())).orElse("See note " + f.note() + ".");
        rule.put("fullDescription", Map.of("text", first));
        String uri = helpUri(f.note());
        if (uri != null) {
            rule.put("helpUri", uri);
        }
        String body = lookup.map(l -> TextReportWriter.plain(l.section().markdown()).strip()).orElse(first);
        Map<String, Object> help = new LinkedHashMap<>();
        help.put("text", body + "\n\nFull runbook: " + Marks.explain(f) + (uri == null ? "" : " or " + uri));
        lookup.ifPresent(l -> help.put("markdown", l.section().markdown()));
        rule.put("help", help);
        rule.put("properties", Map.of("note", f.note()));
        return rule;
    }

    private Map<String, Object> result(Outcome o, Finding f, String ruleId, int index, String targetName) {
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
        Integer line = targetName == null ? null : targetLines.get(targetName);
        if (configPath != null && line != null) {
            location.put("physicalLocation", Map.of("artifactLocation", Map.of("uri", configPath, "uriBaseId", "%SRCROOT%"),
                    "region", Map.of("startLine", line)));
        } else {
            // no file to point into (a check on the command line): the target itself, its "first line"
            location.put("physicalLocation", Map.of("artifactLocation", Map.of("uri", f.target()), "region", Map.of("startLine", 1)));
        }
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
