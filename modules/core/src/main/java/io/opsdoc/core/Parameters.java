package io.opsdoc.core;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The resolved parameter values of one check run: defaults overlaid with {@code --set name=value}.
 * Keeps the raw text too, so a capture can record exactly what was asked.
 */
public final class Parameters {
    private final Map<String, Object> values;
    private final Map<String, String> raw;

    private Parameters(Map<String, Object> values, Map<String, String> raw) {
        this.values = values;
        this.raw = raw;
    }

    /**
     * @param overrides name to raw value; names the check does not declare are a usage error, so a typo
     *                  never silently falls back to the default.
     */
    public static Parameters resolve(String checkId, List<ParameterSpec> specs, Map<String, String> overrides) {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        for (String name : overrides.keySet()) {
            if (!byName.containsKey(name)) {
                String known = byName.isEmpty() ? "none" : String.join(", ", byName.keySet());
                throw new UsageException("check " + checkId + " has no parameter '" + name + "' (parameters: " + known + ")");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> raw = new LinkedHashMap<>();
        for (ParameterSpec spec : specs) {
            String text = overrides.getOrDefault(spec.name(), spec.defaultValue());
            try {
                values.put(spec.name(), spec.type().parse(text));
            } catch (IllegalArgumentException e) {
                throw new UsageException("check " + checkId + ", parameter " + spec.name() + ": " + e.getMessage());
            }
            raw.put(spec.name(), text);
        }
        return new Parameters(Collections.unmodifiableMap(values), Collections.unmodifiableMap(raw));
    }

    /** Only those overrides that name a parameter of this check: for running several checks with one {@code --set}. */
    public static Map<String, String> applicable(List<ParameterSpec> specs, Map<String, String> overrides) {
        var names = specs.stream().map(ParameterSpec::name).collect(Collectors.toSet());
        Map<String, String> out = new LinkedHashMap<>();
        overrides.forEach((k, v) -> {
            if (names.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    public Duration duration(String name) {
        return (Duration) get(name);
    }

    public double percent(String name) {
        return (Double) get(name);
    }

    public long bytes(String name) {
        return (Long) get(name);
    }

    public long integer(String name) {
        return (Long) get(name);
    }

    public boolean bool(String name) {
        return (Boolean) get(name);
    }

    public String string(String name) {
        return (String) get(name);
    }

    /** Raw text per parameter, as given or defaulted. */
    public Map<String, String> raw() {
        return raw;
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("parameter '" + name + "' is not declared by this check");
        }
        return v;
    }
}
