package io.opsdoc.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * All checks on the class path, found through {@link ServiceLoader}'s provider files: adding a system is adding a
 * module.
 *
 * <p>Each line of {@code META-INF/services/io.opsdoc.core.Check} names a check class and, after a {@code #} (a comment
 * to ServiceLoader), the check's id: {@code io.opsdoc.checks.mysql.MysqlReplication # mysql-replication}. With that
 * index a command that names its checks ({@code opsdoc check mysql-replication …}, a gate config) loads and
 * instantiates only those, not all of them: instantiating every check of every module cost ~200 ms of a check's start
 * (bench/startup.sh). A line without an id still works; such checks are instantiated whenever an id is not found in
 * the index. {@code CheckIndexFileTest} keeps the comments honest.
 */
public final class CheckRegistry {
    public static final String PROVIDER_FILE = "META-INF/services/" + Check.class.getName();
    private final ClassLoader loader;
    private final Map<String, String> classById = new LinkedHashMap<>();
    private final List<String> unindexed = new ArrayList<>();
    private final Map<String, Check<?>> loaded = new LinkedHashMap<>();
    private boolean complete;

    private CheckRegistry(ClassLoader loader) {
        this.loader = loader;
    }

    public static CheckRegistry load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        CheckRegistry r = new CheckRegistry(loader == null ? CheckRegistry.class.getClassLoader() : loader);
        for (Line line : lines(r.loader)) {
            if (line.id() == null) {
                r.unindexed.add(line.className());
                continue;
            }
            String previous = r.classById.putIfAbsent(line.id(), line.className());
            if (previous != null && !previous.equals(line.className())) {
                throw new IllegalStateException("two checks share the id " + line.id() + ": " + previous + " and "
                        + line.className());
            }
        }
        return r;
    }

    /** One provider line: the class, and the id from its comment (null when the line has none). */
    public record Line(String className, String id) {
    }

    /** Every provider line on the class path, in class-path order, duplicates across jars removed. */
    public static List<Line> lines(ClassLoader loader) {
        Map<String, Line> lines = new LinkedHashMap<>();
        try {
            Enumeration<URL> files = loader.getResources(PROVIDER_FILE);
            for (URL url : Collections.list(files)) {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    for (String raw; (raw = in.readLine()) != null; ) {
                        int hash = raw.indexOf('#');
                        String name = (hash < 0 ? raw : raw.substring(0, hash)).strip();
                        if (name.isEmpty()) {
                            continue;
                        }
                        String id = hash < 0 ? null : raw.substring(hash + 1).strip();
                        lines.putIfAbsent(name, new Line(name, id == null || id.isEmpty() ? null : id));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PROVIDER_FILE, e);
        }
        return List.copyOf(lines.values());
    }

    public List<Check<?>> all() {
        if (!complete) {
            classById.forEach((id, name) -> instantiate(id, name));
            unindexed.forEach(name -> instantiate(null, name));
            complete = true;
        }
        List<Check<?>> all = new ArrayList<>(loaded.values());
        all.sort(Comparator.comparing(Check::id));
        return List.copyOf(all);
    }

    public Optional<Check<?>> find(String id) {
        Check<?> known = loaded.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        String name = classById.get(id);
        if (name != null) {
            return Optional.of(instantiate(id, name));
        }
        if (!complete && !unindexed.isEmpty()) {
            all();
            return Optional.ofNullable(loaded.get(id));
        }
        return Optional.empty();
    }

    public Check<?> require(String id) {
        return find(id).orElseThrow(() -> new UsageException("unknown check '" + id + "'; run 'opsdoc list' to see them"));
    }

    private Check<?> instantiate(String indexedId, String className) {
        if (indexedId != null && loaded.containsKey(indexedId)) {
            return loaded.get(indexedId);
        }
        Check<?> check;
        try {
            Class<?> type = Class.forName(className, true, loader);
            check = (Check<?>) type.getConstructor().newInstance();
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                | InvocationTargetException | ClassCastException e) {
            throw new IllegalStateException("cannot load check " + className + " named in " + PROVIDER_FILE, e);
        }
        if (indexedId != null && !indexedId.equals(check.id())) {
            throw new IllegalStateException(PROVIDER_FILE + " names " + className + " '" + indexedId + "', but its id is '"
                    + check.id() + "'");
        }
        Check<?> previous = loaded.putIfAbsent(check.id(), check);
        if (previous != null && previous.getClass() != check.getClass()) {
            throw new IllegalStateException("two checks share the id " + check.id());
        }
        return previous == null ? check : previous;
    }
}
