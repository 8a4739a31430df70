package io.opsdoc.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Ordered evidence: raw field values and the thresholds they were compared with. Null values are kept (NULL is evidence). */
public final class Evidence {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public static Evidence of(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("evidence needs key/value pairs");
        }
        Evidence e = new Evidence();
        for (int i = 0; i < keyValues.length; i += 2) {
            e.put((String) keyValues[i], keyValues[i + 1]);
        }
        return e;
    }

    public Evidence put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** Adds the field only when it has a value: for optional context such as an error text. */
    public Evidence putIfPresent(String key, Object value) {
        if (value != null && !"".equals(value)) {
            fields.put(key, value);
        }
        return this;
    }

    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
