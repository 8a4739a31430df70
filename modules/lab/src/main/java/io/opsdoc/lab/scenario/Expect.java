package io.opsdoc.lab.scenario;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finding code a scenario must produce, and optionally what that finding must say: its severity, evidence values
 * (compared as text, so 1062 matches a Long or an Integer), evidence numbers that must be above zero, and words of
 * its summary. At least one finding with the code must satisfy all of them.
 */
public final class Expect {
    private final String check;
    private final String code;
    private final Severity severity;
    private final Map<String, String> evidence;
    private final List<String> positive;
    private final List<String> summary;

    private Expect(String check, String code, Severity severity, Map<String, String> evidence, List<String> positive,
            List<String> summary) {
        this.check = check;
        this.code = Objects.requireNonNull(code);
        this.severity = severity;
        this.evidence = evidence;
        this.positive = positive;
        this.summary = summary;
    }

    /** The code, reported by any of the scenario's checks. */
    public static Expect code(String code) {
        return new Expect(null, code, null, Map.of(), List.of(), List.of());
    }

    /** The code, reported by that check (for scenarios that run several). */
    public static Expect code(String check, String code) {
        return new Expect(check, code, null, Map.of(), List.of(), List.of());
    }

    public Expect severity(Severity s) {
        return new Expect(check, code, s, evidence, positive, summary);
    }

    /** Evidence {@code key} equals {@code value} as text; a null value means the key is present with no value. */
    public Expect evidence(String key, Object value) {
        Map<String, String> e = new LinkedHashMap<>(evidence);
        e.put(key, value == null ? null : String.valueOf(value));
        return new Expect(check, code, severity, e, positive, summary);
    }

    /** Evidence {@code key} is a number above zero (a counter that moved during the window). */
    public Expect positive(String key) {
        List<String> p = new ArrayList<>(positive);
        p.add(key);
        return new Expect(check, code, severity, evidence, p, summary);
    }

    /** The summary contains each of these words (case-sensitive). */
    public Expect says(String... words) {
        List<String> s = new ArrayList<>(summary);
        s.addAll(List.of(words));
        return new Expect(check, code, severity, evidence, positive, s);
    }

    public String check() {
        return check;
    }

    public String code() {
        return code;
    }

    /** True when this expectation could be met by a finding of {@code checkId}. */
    public boolean concerns(String checkId) {
        return check == null || check.equals(checkId);
    }

    /** Null when some finding meets this expectation, else what is wrong. */
    String problem(List<Report> reports) {
        List<Finding> candidates = reports.stream().filter(r -> check == null || r.check().equals(check))
                .flatMap(r -> r.findings().stream()).filter(f -> f.code().equals(code)).toList();
        if (candidates.isEmpty()) {
            return "expected " + code + (check == null ? "" : " from " + check) + ", not reported";
        }
        List<String> misses = new ArrayList<>();
        for (Finding f : candidates) {
            String miss = mismatch(f);
            if (miss == null) {
                return null;
            }
            misses.add(miss);
        }
        return code + " reported, but " + String.join("; ", misses);
    }

    private String mismatch(Finding f) {
        if (severity != null && f.severity() != severity) {
            return "severity " + f.severity() + ", expected " + severity;
        }
        for (Map.Entry<String, String> e : evidence.entrySet()) {
            if (!f.evidence().containsKey(e.getKey())) {
                return "no evidence '" + e.getKey() + "' in " + f.evidence().keySet();
            }
            Object actual = f.evidence().get(e.getKey());
            String text = actual == null ? null : String.valueOf(actual);
            if (!Objects.equals(text, e.getValue())) {
                return "evidence " + e.getKey() + "=" + text + ", expected " + e.getValue();
            }
        }
        for (String key : positive) {
            Object actual = f.evidence().get(key);
            if (!(actual instanceof Number n) || n.doubleValue() <= 0) {
                return "evidence " + key + "=" + actual + ", expected a number above 0";
            }
        }
        for (String word : summary) {
            if (f.summary() == null || !f.summary().contains(word)) {
                return "summary \"" + f.summary() + "\" lacks \"" + word + "\"";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return (check == null ? "" : check + "#") + code;
    }
}
