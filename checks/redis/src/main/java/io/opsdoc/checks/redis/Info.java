package io.opsdoc.checks.redis;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reading INFO fields, and the {@code a=1,b=2} values some of them hold (slaveN, dbN, cmdstat_*, errorstat_*). */
final class Info {
    private Info() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int c = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || c < 0) {
                continue;
            }
            out.put(line.substring(0, c), line.substring(c + 1).trim());
        }
        return out;
    }

    /** A numeric field, or null when absent or not a number. */
    static Double number(Map<String, String> info, String field) {
        if (info == null) {
            return null;
        }
        String v = info.get(field);
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static long longValue(Map<String, String> info, String field, long fallback) {
        Double d = number(info, field);
        return d == null ? fallback : d.longValue();
    }

    /** {@code ip=10.0.0.2,port=6379,state=online} to a map. */
    static Map<String, String> fields(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return out;
    }

    static long fieldLong(String value, String name, long fallback) {
        String v = fields(value).get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return (long) Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Delta of a counter between two samples; null when either is missing. A restart in between gives null. */
    static Long delta(Map<String, String> before, Map<String, String> after, String field) {
        Double a = number(before, field);
        Double b = number(after, field);
        if (a == null || b == null || b < a) {
            return null;
        }
        return (long) (b - a);
    }

    static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        while (b >= 1024 && i < units.length - 1) {
            b /= 1024;
            i++;
        }
        return (b == Math.rint(b) ? String.format("%.0f", b) : String.format("%.1f", b)) + units[i];
    }
}
