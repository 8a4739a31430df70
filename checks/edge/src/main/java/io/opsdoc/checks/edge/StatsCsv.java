package io.opsdoc.checks.edge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's stats CSV ({@code /stats;csv} or {@code show stat}), read by its header line, so that fields added by
 * newer versions never shift the ones used here. The first line is {@code # pxname,svname,qcur,...}; each row is a
 * frontend (type 0), backend (1), server (2) or listener (3). Empty fields are "not applicable" (no limit, no check).
 */
final class StatsCsv {
    private StatsCsv() {
    }

    /** The rows, or null when the text has no stats CSV header. */
    static List<HaproxyFacts.Row> parse(String text) {
        String[] lines = text.replace("\r", "").split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# pxname,svname,")) {
            return null;
        }
        String[] header = lines[0].substring(2).split(",", -1);
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            col.put(header[i].trim(), i);
        }
        List<HaproxyFacts.Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(",", -1);
            rows.add(new HaproxyFacts.Row(s(f, col, "pxname"), s(f, col, "svname"), n(f, col, "type") == null ? -1
                    : n(f, col, "type").intValue(), s(f, col, "status"), s(f, col, "check_status"), s(f, col, "check_code"),
                    s(f, col, "last_chk"), n(f, col, "qcur"), n(f, col, "qlimit"), n(f, col, "scur"), n(f, col, "slim"),
                    n(f, col, "lastchg")));
        }
        return rows;
    }

    private static String s(String[] f, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null || i >= f.length || f[i].isEmpty() ? null : f[i];
    }

    private static Long n(String[] f, Map<String, Integer> col, String name) {
        String v = s(f, col, name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
