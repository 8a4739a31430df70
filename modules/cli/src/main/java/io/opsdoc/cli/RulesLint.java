package io.opsdoc.cli;

import io.opsdoc.core.Severity;
import io.opsdoc.core.alerts.AlertNotes;
import io.opsdoc.core.alerts.RunbookLink;
import io.opsdoc.core.notes.Note;
import io.opsdoc.core.notes.NoteCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code opsdoc rules lint} says about each alerting rule: its runbook_url (missing, broken, foreign) and whether
 * opsdoc has a note and a check for it. Pure: the rule files, the notes and the user's mappings in, findings out.
 * The codes and their severities are documented in docs/rules.md.
 */
final class RulesLint {
    static final String NO_RUNBOOK_URL = "NO_RUNBOOK_URL";
    static final String RUNBOOK_URL_BROKEN = "RUNBOOK_URL_BROKEN";
    static final String RUNBOOK_URL_FOREIGN = "RUNBOOK_URL_FOREIGN";
    static final String NO_NOTE = "NO_NOTE";
    static final String NO_CHECK = "NO_CHECK";

    /**
     * @param note          the note (with #anchor) opsdoc would use for this alert, null when none
     * @param check         the check that could confirm it, null when none
     * @param suggestedUrl  the runbook_url {@code opsdoc rules annotate} would write, null when it would write none
     */
    record Finding(String file, int line, String group, String alert, String code, Severity severity, String message,
            String runbookUrl, String note, String check, String suggestedUrl) {
    }

    private final NoteCatalog notes;
    private final AlertNotes alertNotes;
    private final String baseUrl;
    private final String lang;

    /** @param baseUrl where the notes are served ({@code https://opsdoc.example/notes}); null to show a placeholder */
    RulesLint(NoteCatalog notes, AlertNotes alertNotes, String baseUrl, String lang) {
        this.notes = notes;
        this.alertNotes = alertNotes;
        this.baseUrl = baseUrl;
        this.lang = lang;
    }

    List<Finding> lint(PrometheusRuleFile file) {
        List<Finding> out = new ArrayList<>();
        for (PrometheusRuleFile.Alert a : file.alerts) {
            lint(file, a, out);
        }
        return out;
    }

    private void lint(PrometheusRuleFile file, PrometheusRuleFile.Alert a, List<Finding> out) {
        String url = a.runbookUrl() == null || a.runbookUrl().isBlank() ? null : a.runbookUrl().strip();
        Optional<RunbookLink> link = RunbookLink.parse(url);
        // what opsdoc knows without this alert's own link: the user's mapping, then the notes' alerts: lists
        Optional<AlertNotes.Resolution> known = alertNotes.resolve(a.name(), null, lang);
        Optional<AlertNotes.Resolution> resolved = alertNotes.resolve(a.name(), url, lang);
        String where = file.path.toString();
        if (url == null) {
            if (known.isPresent()) {
                String suggested = suggestedUrl(known.get());
                out.add(new Finding(where, a.line(), a.group(), a.name(), NO_RUNBOOK_URL, Severity.WARNING,
                        "no runbook_url; opsdoc's note " + known.get().ref() + " answers it: 'opsdoc rules annotate' would add "
                                + suggested, null, known.get().ref(), known.get().check(), suggested));
            } else {
                out.add(new Finding(where, a.line(), a.group(), a.name(), NO_RUNBOOK_URL, Severity.WARNING,
                        "no runbook_url, and opsdoc has no note for it (see NO_NOTE): link your own runbook", null, null, null, null));
            }
        } else if (link.isPresent()) {
            String broken = brokenReason(link.get());
            if (broken != null) {
                String suggested = known.map(this::suggestedUrl).orElse(null);
                out.add(new Finding(where, a.line(), a.group(), a.name(), RUNBOOK_URL_BROKEN, Severity.CRITICAL,
                        "runbook_url " + url + " is an opsdoc link, but " + broken
                                + (suggested == null ? "" : "; 'opsdoc rules annotate --overwrite' would write " + suggested),
                        url, known.map(AlertNotes.Resolution::ref).orElse(null), known.map(AlertNotes.Resolution::check).orElse(null),
                        suggested));
            }
        } else {
            out.add(new Finding(where, a.line(), a.group(), a.name(), RUNBOOK_URL_FOREIGN, Severity.INFO,
                    "runbook_url points outside opsdoc (" + url + "); left alone"
                            + known.map(r -> "; opsdoc's note " + r.ref() + " also answers it").orElse(""),
                    url, known.map(AlertNotes.Resolution::ref).orElse(null), known.map(AlertNotes.Resolution::check).orElse(null), null));
        }
        if (resolved.isEmpty()) {
            out.add(new Finding(where, a.line(), a.group(), a.name(), NO_NOTE, Severity.INFO,
                    "opsdoc has no note for this alert, so 'opsdoc serve' has nothing to show or run for it"
                            + " (map it under alerts: in opsdoc.yaml when one of opsdoc's notes or checks fits)",
                    url, null, null, null));
        } else if (resolved.get().check() == null) {
            out.add(new Finding(where, a.line(), a.group(), a.name(), NO_CHECK, Severity.INFO,
                    "note " + resolved.get().ref() + " has no check that could confirm this alert: 'opsdoc serve' shows the note but cannot run a check"
                            + " (name one with alerts: " + a.name() + ": {check: ...} in opsdoc.yaml)",
                    url, resolved.get().ref(), null, null));
        }
    }

    /** Why an opsdoc-shaped link does not resolve, or null when it does. */
    private String brokenReason(RunbookLink link) {
        Optional<Note> note = notes.note(link.noteId(), link.lang()).or(() -> notes.note(link.noteId(), NoteCatalog.ENGLISH));
        if (note.isEmpty()) {
            return "there is no note " + link.noteId();
        }
        if (link.anchor() != null && !alertNotes.resolves(link)) {
            return "note " + link.noteId() + " has no section #" + link.anchor();
        }
        return null;
    }

    /** The URL annotate writes: base/lang/note-id, with the section when the mapping names one. */
    String suggestedUrl(AlertNotes.Resolution r) {
        String base = baseUrl == null ? "<base-url>" : baseUrl;
        return base + "/" + lang + "/" + r.note().id() + (r.anchor() == null ? "" : "#" + r.anchor());
    }
}
