package io.opsdoc.core.alerts;

import io.opsdoc.core.notes.Note;
import io.opsdoc.core.notes.NoteCatalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which note explains an alert, and which check can confirm it. The user's mapping wins (they know their own alert
 * names), then the alert's {@code runbook_url} when it points at an opsdoc note, then the built-in map: the
 * {@code alerts:} front matter of the notes, which lists the standard names of kubernetes-mixin, node-mixin,
 * mysqld-mixin, the redis and kafka exporters and awesome-prometheus-alerts.
 */
public final class AlertNotes {
    /** How the note was found, reported with every verdict so a surprising match can be traced. */
    public enum Source { CONFIG, RUNBOOK_URL, BUILT_IN }

    /**
     * @param anchor the note section to quote (null = the note's lead), from a runbook_url fragment
     * @param check  null when neither the mapping nor the note names one
     */
    public record Resolution(Note note, String anchor, String check, String target, Source source) {
        public String ref() {
            return anchor == null ? note.id() : note.id() + "#" + anchor;
        }
    }

    private final NoteCatalog notes;
    private final Map<String, AlertMapping> mappings;

    public AlertNotes(NoteCatalog notes, Map<String, AlertMapping> mappings) {
        this.notes = notes;
        this.mappings = mappings == null ? Map.of() : mappings;
    }

    public Optional<Resolution> resolve(String alertName, String runbookUrl, String lang) {
        AlertMapping user = alertName == null ? null : mappings.get(alertName);
        if (user != null && user.note() != null) {
            // note-id or note-id#anchor; the translation when there is one, else English
            Optional<NoteCatalog.Lookup> n = notes.lookup(user.note(), lang);
            if (n.isPresent()) {
                int hash = user.note().indexOf('#');
                String anchor = hash < 0 ? null : user.note().substring(hash + 1);
                return Optional.of(new Resolution(n.get().note(), anchor, firstCheck(user, n.get().note()), user.target(), Source.CONFIG));
            }
        }
        Optional<RunbookLink> link = RunbookLink.parse(runbookUrl);
        if (link.isPresent()) {
            Optional<NoteCatalog.Lookup> found = notes.lookup(link.get().ref(), lang);
            if (found.isPresent()) {
                Note n = found.get().note();
                return Optional.of(new Resolution(n, link.get().anchor(), firstCheck(user, n), user == null ? null : user.target(),
                        Source.RUNBOOK_URL));
            }
        }
        if (alertName != null) {
            List<Note> builtIn = notes.forAlert(alertName, lang);
            if (!builtIn.isEmpty()) {
                Note n = builtIn.get(0);
                return Optional.of(new Resolution(n, null, firstCheck(user, n), user == null ? null : user.target(), Source.BUILT_IN));
            }
        }
        return Optional.empty();
    }

    /** Whether a link resolves to an existing note and, when it has one, an existing section. */
    public boolean resolves(RunbookLink link) {
        return notes.lookup(link.ref(), NoteCatalog.ENGLISH).isPresent();
    }

    private static String firstCheck(AlertMapping user, Note note) {
        if (user != null && user.check() != null) {
            return user.check();
        }
        return note.checks().isEmpty() ? null : note.checks().get(0);
    }
}
