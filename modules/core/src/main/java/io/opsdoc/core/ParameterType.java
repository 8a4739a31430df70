package io.opsdoc.core;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value types a check parameter can have, each with the unit syntax an operator would type. */
public enum ParameterType {
    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}; a bare number means seconds. */
    DURATION("duration (e.g. 30s, 5m, 250ms)"),
    /** {@code 80%} or {@code 80}; 0 to 100. */
    PERCENT("percentage (e.g. 80%)"),
    /** {@code 512}, {@code 64k}, {@code 16MiB}, {@code 2GB} (k/M/G/T are powers of 1024, as ops tools use them). */
    BYTES("size (e.g. 16MiB, 512k)"),
    INTEGER("integer"),
    BOOLEAN("true or false"),
    STRING("text");

    private static final Pattern DURATION_RE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");
    private static final Pattern BYTES_RE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?");

    private final String describe;

    ParameterType(String describe) {
        this.describe = describe;
    }

    public String describe() {
        return describe;
    }

    /** Parses a value; throws {@link IllegalArgumentException} with the expected syntax when it does not fit. */
    public Object parse(String raw) {
        String s = raw.trim();
        switch (this) {
            case DURATION: {
                Matcher m = DURATION_RE.matcher(s.toLowerCase(Locale.ROOT));
                if (!m.matches()) {
                    throw new IllegalArgumentException("'" + raw + "' is not a " + describe);
                }
                double n = Double.parseDouble(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                double millis = switch (unit) {
                    case "ms" -> n;
                    case "s" -> n * 1000;
                    case "m" -> n * 60_000;
                    case "h" -> n * 3_600_000;
                    default -> n * 86_400_000;
                };
                return Duration.ofMillis(Math.round(millis));
            }
            case PERCENT: {
                String v = s.endsWith("%") ? s.substring(0, s.length() - 1).trim() : s;
                double d;
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + raw + "' is not a " + describe);
                }
                if (d < 0 || d > 100) {
                    throw new IllegalArgumentException("'" + raw + "' is outside 0-100%");
                }
                return d;
            }
            case BYTES: {
                Matcher m = BYTES_RE.matcher(s.toLowerCase(Locale.ROOT));
                if (!m.matches()) {
                    throw new IllegalArgumentException("'" + raw + "' is not a " + describe);
                }
                int shift = switch (m.group(2)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    case "t" -> 40;
                    default -> 0;
                };
                return Math.round(Double.parseDouble(m.group(1)) * (1L << shift));
            }
            case INTEGER:
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + raw + "' is not an integer");
                }
            case BOOLEAN:
                return switch (s.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> true;
                    case "false", "no", "off", "0" -> false;
                    default -> throw new IllegalArgumentException("'" + raw + "' is not true or false");
                };
            default:
                return s;
        }
    }
}
