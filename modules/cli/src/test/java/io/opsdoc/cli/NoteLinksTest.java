package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.gate.Gate;
import io.opsdoc.core.notes.Note;
import io.opsdoc.core.notes.NoteCatalog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every finding code of every check on the class path links to a note section that exists, in every language. */
class NoteLinksTest {
    private static final List<String> LANGUAGES = List.of("en", "zh");
    private final NoteCatalog notes = NoteCatalog.load();
    private final CheckRegistry checks = CheckRegistry.load();

    @Test
    void everyNoteParses() {
        assertThat(notes.problems()).isEmpty();
        assertThat(notes.languages()).containsAll(LANGUAGES);
    }

    @Test
    void everyFindingCodeHasItsSectionInEveryLanguage() {
        List<FindingCode> codes = new ArrayList<>(ProbeErrors.ALL);
        codes.addAll(Gate.CODES);
        checks.all().forEach(c -> codes.addAll(c.codes()));
        assertThat(checks.all()).isNotEmpty();
        List<String> missing = new ArrayList<>();
        for (FindingCode code : codes) {
            for (String lang : LANGUAGES) {
                var note = notes.note(code.noteId(), lang);
                if (note.isEmpty() || note.get().section(code.anchor()).isEmpty()) {
                    missing.add(lang + ": " + code.note() + " (" + code.code() + ")");
                } else if (!note.get().section(code.anchor()).get().heading().equals(code.code())) {
                    missing.add(lang + ": " + code.note() + " is headed '" + note.get().section(code.anchor()).get().heading()
                            + "', not the code " + code.code());
                } else if (note.get().section(code.anchor()).get().excerpt().isBlank()) {
                    missing.add(lang + ": " + code.note() + " has no opening paragraph to show under a finding");
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void noTranslationIsStale() {
        assertThat(notes.staleTranslations()).isEmpty();
    }

    @Test
    void translationsKeepEveryAnchorOfTheEnglishNote() {
        List<String> missing = new ArrayList<>();
        for (Note en : notes.notes("en")) {
            for (String lang : LANGUAGES) {
                notes.note(en.id(), lang).ifPresentOrElse(t -> en.sections().keySet().stream()
                        .filter(a -> !t.sections().containsKey(a)).forEach(a -> missing.add(lang + ": " + en.id() + "#" + a)),
                        () -> missing.add(lang + ": no note " + en.id()));
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void notesNameOnlyChecksThatExist() {
        for (Note n : notes.notes("en")) {
            assertThat(n.checks()).allSatisfy(id -> assertThat(checks.find(id)).as(n.id() + " names " + id).isPresent());
        }
        for (Check<?> c : checks.all()) {
            c.codes().forEach(code -> assertThat(notes.note(code.noteId(), "en").orElseThrow().checks())
                    .as(code.noteId() + " lists " + c.id()).contains(c.id()));
        }
    }
}
