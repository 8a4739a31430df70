package io.opsdoc.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Last line of defence for secrets: replaces any occurrence of a credential's value in text that is about to
 * leave the process (messages from client libraries can quote what they were given).
 */
public final class Redactor {
    public static final String MASK = "****";
    private final List<String> values = new ArrayList<>();

    public Redactor(Optional<Secret> secret) {
        // very short values would mask ordinary words and numbers; such passwords are reported elsewhere as weak
        secret.map(Secret::reveal).filter(v -> v.length() >= 3).ifPresent(values::add);
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, MASK);
        }
        return out;
    }

    public Finding redact(Finding f) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        f.evidence().forEach((k, v) -> evidence.put(k, v instanceof String s ? redact(s) : v));
        return new Finding(f.check(), f.target(), f.code(), f.severity(), redact(f.summary()), evidence, f.note(),
                f.subject(), f.fingerprint());
    }
}
