package io.opsdoc.checks.zookeeper;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code mntr} answer: one {@code key<TAB>value} per line, e.g. {@code zk_outstanding_requests	0}. */
final class Mntr {
    private final Map<String, String> values;

    private Mntr(Map<String, String> values) {
        this.values = values;
    }

    /** Null when the text is not a mntr answer (denied, not serving, absent). */
    static Mntr parse(String text) {
        if (text == null || !text.contains("zk_server_state")) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                m.put(line.substring(0, tab).trim(), line.substring(tab + 1).trim());
            }
        }
        return new Mntr(m);
    }

    String string(String key) {
        return values.get(key);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The value as a number, or -1 when absent or not a number. */
    double number(String key) {
        String v = values.get(key);
        if (v == null) {
            return -1;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
