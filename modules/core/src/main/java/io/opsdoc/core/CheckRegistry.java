package io.opsdoc.core;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** All checks on the class path, found through {@link ServiceLoader}: adding a system is adding a module. */
public final class CheckRegistry {
    private final Map<String, Check<?>> checks = new LinkedHashMap<>();

    @SuppressWarnings("rawtypes")
    public static CheckRegistry load() {
        CheckRegistry r = new CheckRegistry();
        ServiceLoader.load(Check.class).stream()
                .map(p -> (Check<?>) p.get())
                .sorted(Comparator.comparing(Check::id))
                .forEach(c -> {
                    Check<?> previous = r.checks.putIfAbsent(c.id(), c);
                    if (previous != null) {
                        throw new IllegalStateException("two checks share the id " + c.id());
                    }
                });
        return r;
    }

    public List<Check<?>> all() {
        return List.copyOf(checks.values());
    }

    public Optional<Check<?>> find(String id) {
        return Optional.ofNullable(checks.get(id));
    }

    public Check<?> require(String id) {
        return find(id).orElseThrow(() -> new UsageException("unknown check '" + id + "'; run 'opsdoc list' to see them"));
    }
}
