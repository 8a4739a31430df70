package io.opsdoc.core.notes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * All runbook notes, English and translations, loaded from {@code docs/notes} as packaged in the engine's jar
 * (so {@code explain} works offline) or from a directory.
 *
 * <p>A translation records the SHA-256 of the English file it was made from; when the English file changes,
 * the translation is reported stale instead of being served as if current.
 */
public final class NoteCatalog {
    public static final String ENGLISH = "en";
    static final String CLASSPATH_ROOT = "opsdoc-notes";

    private final Map<String, Map<String, Note>> byLang = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    /** The outcome of looking a section up in a language: which note served it and whether it is a fallback or stale. */
    public record Lookup(Note note, Note.Section section, boolean fallbackToEnglish, boolean staleTranslation) {
    }

    public static NoteCatalog load() {
        URL url = NoteCatalog.class.getClassLoader().getResource(CLASSPATH_ROOT);
        if (url == null) {
            return new NoteCatalog();
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return fromDirectory(fs.getPath(CLASSPATH_ROOT));
            }
            return fromDirectory(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param root a directory holding {@code en/}, {@code zh/}, ... */
    public static NoteCatalog fromDirectory(Path root) {
        NoteCatalog c = new NoteCatalog();
        if (!Files.isDirectory(root)) {
            return c;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (!rel.contains("/")) {
                    continue; // README and the like at the root are not notes
                }
                try {
                    Note n = NoteParser.parse(rel, Files.readAllBytes(p));
                    c.byLang.computeIfAbsent(n.lang(), k -> new TreeMap<>()).put(n.id(), n);
                } catch (IllegalArgumentException e) {
                    c.problems.add(e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c;
    }

    public List<String> languages() {
        return List.copyOf(byLang.keySet());
    }

    public List<Note> notes(String lang) {
        return List.copyOf(byLang.getOrDefault(lang, Map.of()).values());
    }

    public Optional<Note> note(String id, String lang) {
        return Optional.ofNullable(byLang.getOrDefault(lang, Map.of()).get(id));
    }

    /** Files that could not be read as notes. A test keeps this empty. */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /**
     * Finds {@code <note-id>#<anchor>} in the language asked for, falling back to English when there is no
     * translation; a translation made from an older English file is served but flagged stale.
     */
    public Optional<Lookup> lookup(String ref, String lang) {
        int hash = ref.indexOf('#');
        String id = hash < 0 ? ref : ref.substring(0, hash);
        String anchor = hash < 0 ? null : ref.substring(hash + 1);
        Optional<Note> local = note(id, lang);
        Optional<Note> english = note(id, ENGLISH);
        Note chosen = local.filter(n -> anchor == null || n.sections().containsKey(anchor)).orElse(null);
        boolean fallback = false;
        if (chosen == null) {
            chosen = english.filter(n -> anchor == null || n.sections().containsKey(anchor)).orElse(null);
            fallback = !ENGLISH.equals(lang);
        }
        if (chosen == null) {
            return Optional.empty();
        }
        Note.Section section = anchor == null ? null : chosen.sections().get(anchor);
        return Optional.of(new Lookup(chosen, section, fallback, isStale(chosen)));
    }

    /** True for a translation whose recorded English hash no longer matches the English file. */
    public boolean isStale(Note note) {
        if (ENGLISH.equals(note.lang())) {
            return false;
        }
        Optional<Note> en = note(note.id(), ENGLISH);
        String recorded = note.translatedFrom() == null ? "" : note.translatedFrom().replaceFirst("^sha256:", "");
        return en.isEmpty() || !en.get().sha256().equals(recorded);
    }

    /** One line per stale or orphaned translation: what to update. */
    public List<String> staleTranslations() {
        List<String> out = new ArrayList<>();
        for (String lang : byLang.keySet()) {
            if (ENGLISH.equals(lang)) {
                continue;
            }
            for (Note n : byLang.get(lang).values()) {
                Optional<Note> en = note(n.id(), ENGLISH);
                if (en.isEmpty()) {
                    out.add(n.path() + ": no English note " + n.id() + " to translate from");
                } else if (isStale(n)) {
                    out.add(n.path() + ": translated-from " + n.translatedFrom() + " but " + en.get().path()
                            + " is now sha256:" + en.get().sha256() + " (update the translation, then the hash)");
                }
            }
        }
        return out;
    }

    /** Notes that name this Prometheus alert in their front matter. */
    public List<Note> forAlert(String alertName, String lang) {
        return notes(ENGLISH).stream()
                .filter(n -> n.alerts().contains(alertName))
                .map(n -> note(n.id(), lang).orElse(n))
                .toList();
    }
}
