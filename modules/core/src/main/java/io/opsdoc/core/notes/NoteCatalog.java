package io.opsdoc.core.notes;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
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

    /** Reads one note file by its path relative to the notes root; null when there is none. */
    @FunctionalInterface
    private interface Reader {
        byte[] read(String relativePath) throws IOException;
    }

    private final Reader reader;
    private final Supplier<List<String>> lister;
    // One note is what a check's output needs: notes are read on first use, and every file only when a caller asks
    // for all of them (listings, the link test). Walking and parsing every note cost more than the check itself.
    private final Map<String, Optional<Note>> cache = new ConcurrentHashMap<>();
    private Map<String, Map<String, Note>> all;
    private final List<String> problems = new ArrayList<>();

    /** The outcome of looking a section up in a language: which note served it and whether it is a fallback or stale. */
    public record Lookup(Note note, Note.Section section, boolean fallbackToEnglish, boolean staleTranslation) {
    }

    private NoteCatalog(Reader reader, Supplier<List<String>> lister) {
        this.reader = reader;
        this.lister = lister;
    }

    /** The notes packaged with the engine. */
    public static NoteCatalog load() {
        ClassLoader cl = NoteCatalog.class.getClassLoader();
        return new NoteCatalog(rel -> {
            try (InputStream in = cl.getResourceAsStream(CLASSPATH_ROOT + "/" + rel)) {
                return in == null ? null : in.readAllBytes();
            }
        }, () -> listClasspath(cl));
    }

    /** @param root a directory holding {@code en/}, {@code zh/}, ... */
    public static NoteCatalog fromDirectory(Path root) {
        return new NoteCatalog(rel -> {
            Path p = root.resolve(rel);
            return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        }, () -> listDirectory(root));
    }

    private static List<String> listClasspath(ClassLoader cl) {
        URL url = cl.getResource(CLASSPATH_ROOT);
        if (url == null) {
            return List.of();
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
                return listDirectory(fs.getPath(CLASSPATH_ROOT));
            }
            return listDirectory(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> listDirectory(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted()
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(rel -> rel.contains("/")) // README and the like at the root are not notes
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Note> read(String rel) {
        return cache.computeIfAbsent(rel, r -> {
            try {
                byte[] bytes = reader.read(r);
                return bytes == null ? Optional.empty() : Optional.of(NoteParser.parse(r, bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (IllegalArgumentException e) {
                synchronized (problems) {
                    if (!problems.contains(e.getMessage())) {
                        problems.add(e.getMessage());
                    }
                }
                return Optional.empty();
            }
        });
    }

    private synchronized Map<String, Map<String, Note>> all() {
        if (all == null) {
            Map<String, Map<String, Note>> byLang = new TreeMap<>();
            for (String rel : lister.get()) {
                read(rel).ifPresent(n -> byLang.computeIfAbsent(n.lang(), k -> new TreeMap<>()).put(n.id(), n));
            }
            all = byLang;
        }
        return all;
    }

    public List<String> languages() {
        return List.copyOf(all().keySet());
    }

    public List<Note> notes(String lang) {
        return List.copyOf(all().getOrDefault(lang, Map.of()).values());
    }

    public Optional<Note> note(String id, String lang) {
        return read(lang + "/" + id + ".md");
    }

    /** Files that could not be read as notes (of those read so far; all of them after a listing). A test keeps this empty. */
    public List<String> problems() {
        all();
        synchronized (problems) {
            return List.copyOf(problems);
        }
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
        for (String lang : all().keySet()) {
            if (ENGLISH.equals(lang)) {
                continue;
            }
            for (Note n : all().get(lang).values()) {
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
