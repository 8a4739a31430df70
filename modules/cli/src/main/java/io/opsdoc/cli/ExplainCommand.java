package io.opsdoc.cli;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.gate.Gate;
import io.opsdoc.core.notes.Note;
import io.opsdoc.core.notes.NoteCatalog;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "explain", description = "Print a runbook note or the section for a finding code, offline.",
        footer = {"", "Examples:", "  opsdoc explain mysql-replication#SQL_ERROR", "  opsdoc explain SQL_ERROR",
                "  opsdoc explain mysql/replication", "  opsdoc explain --alert MySQLReplicationLag --lang zh"})
final class ExplainCommand implements Runnable {
    @ParentCommand
    Opsdoc parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Parameters(paramLabel = "NOTE|CODE|CHECK#CODE", description = "a note id (mysql/replication), a finding code "
                + "(SQL_ERROR), a check's code (mysql-replication#SQL_ERROR) or a note section (mysql/replication#sql-error)")
        String subject;

        @Option(names = "--alert", paramLabel = "ALERT", description = "the notes that answer this Prometheus alert")
        String alert;
    }

    @Option(names = "--lang", paramLabel = "LANG", description = "en or zh")
    String lang;

    @Option(names = "--full", description = "with --alert: the whole note, not just its Meaning and the alert's section")
    boolean full;

    @Override
    public void run() {
        NoteCatalog notes = NoteCatalog.load();
        String language = OutputOptions.language(lang, parent.env);
        if (what.alert != null) {
            List<Note> found = notes.forAlert(what.alert, language);
            if (found.isEmpty()) {
                throw new UsageException("no note answers the alert '" + what.alert + "'");
            }
            for (Note n : found) {
                if (full) {
                    printNote(notes, n.id(), language);
                } else {
                    printAlert(notes, n.id(), language, what.alert);
                }
            }
            return;
        }
        String s = what.subject.trim();
        String ref = reference(s);
        if (ref.contains("#")) {
            NoteCatalog.Lookup l = notes.lookup(ref, language)
                    .orElseThrow(() -> new UsageException("no note section " + ref));
            banner(l, language);
            parent.out.println("# " + l.note().title() + " / " + l.section().heading() + "   [" + ref + "]");
            parent.out.println();
            parent.out.println(l.section().markdown());
        } else {
            printNote(notes, ref, language);
        }
    }

    private void printNote(NoteCatalog notes, String id, String language) {
        NoteCatalog.Lookup l = notes.lookup(id, language).orElseThrow(() -> new UsageException("no note '" + id + "'"));
        banner(l, language);
        parent.out.println(l.note().markdown().strip());
    }

    /**
     * What an on-call engineer needs first: the note's Meaning, then the section the alert maps to (a note may answer
     * a dozen alerts; its whole text is hundreds of lines). {@code --full} or {@code explain NOTE-ID} gives the rest.
     */
    private void printAlert(NoteCatalog notes, String id, String language, String alert) {
        NoteCatalog.Lookup l = notes.lookup(id, language).orElseThrow(() -> new UsageException("no note '" + id + "'"));
        banner(l, language);
        Note note = l.note();
        parent.out.println("# " + note.title() + "   [" + id + ", alert " + alert + "]");
        // the mapping is in the English front matter; anchors are the same in every language
        Optional<Note.Section> mapped = notes.note(id, NoteCatalog.ENGLISH).flatMap(en -> en.alertSection(alert))
                .flatMap(s -> note.section(s.anchor()));
        note.section("meaning").ifPresent(this::printSection);
        mapped.filter(s -> !s.anchor().equals("meaning")).ifPresent(this::printSection);
        parent.out.println();
        parent.out.println("(the whole note: opsdoc explain " + id + ", or --alert " + alert + " --full)");
    }

    private void printSection(Note.Section s) {
        parent.out.println();
        parent.out.println("## " + s.heading() + " {#" + s.anchor() + "}");
        parent.out.println();
        parent.out.println(s.markdown().strip());
    }

    private void banner(NoteCatalog.Lookup l, String language) {
        if (l.fallbackToEnglish()) {
            parent.err.println("opsdoc: no " + language + " translation of this section; showing English");
        } else if (l.staleTranslation()) {
            parent.err.println("opsdoc: this translation is older than the English note; '--lang en' shows the current text");
        }
    }

    /** Resolves the forms the command accepts to a note reference ({@code id} or {@code id#anchor}). */
    private String reference(String s) {
        CheckRegistry registry = CheckRegistry.load();
        int hash = s.indexOf('#');
        if (hash > 0 && s.substring(0, hash).equals(Gate.CHECK_ID)) {
            String code = s.substring(hash + 1);
            return Gate.CODES.stream().filter(c -> c.code().equals(code)).findFirst().map(FindingCode::note)
                    .orElseThrow(() -> new UsageException("the gate has no finding code " + code));
        }
        if (hash > 0) {
            Optional<Check<?>> check = registry.find(s.substring(0, hash));
            if (check.isPresent()) {
                String code = s.substring(hash + 1);
                return codesOf(check.get()).stream().filter(c -> c.code().equals(code)).findFirst()
                        .map(FindingCode::note)
                        .orElseThrow(() -> new UsageException("check " + check.get().id() + " has no finding code " + code));
            }
            return s;
        }
        if (s.contains("/")) {
            return s;
        }
        if (s.matches("[A-Z][A-Z0-9_]*")) {
            Set<String> refs = new LinkedHashSet<>();
            List<String> owners = new ArrayList<>();
            for (Check<?> c : registry.all()) {
                for (FindingCode f : c.codes()) {
                    if (f.code().equals(s)) {
                        refs.add(f.note());
                        owners.add(c.id() + "#" + s);
                    }
                }
            }
            ProbeErrors.ALL.stream().filter(f -> f.code().equals(s)).forEach(f -> refs.add(f.note()));
            Gate.CODES.stream().filter(f -> f.code().equals(s)).forEach(f -> refs.add(f.note()));
            if (refs.size() == 1) {
                return refs.iterator().next();
            }
            if (refs.isEmpty()) {
                throw new UsageException("no check has the finding code " + s + "; 'opsdoc list' shows them all");
            }
            throw new UsageException(s + " is a code of several checks; say which: " + String.join(", ", owners));
        }
        throw new UsageException("'" + s + "' is not a note id, a finding code or CHECK#CODE");
    }

    private static List<FindingCode> codesOf(Check<?> c) {
        List<FindingCode> all = new ArrayList<>(c.codes());
        all.addAll(ProbeErrors.ALL);
        return all;
    }
}
