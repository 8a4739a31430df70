package io.opsdoc.checks.host;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parsing the "name value" files of /proc: meminfo ({@code MemTotal:  24683748 kB}) and vmstat ({@code oom_kill 0}). */
final class ProcFiles {
    private ProcFiles() {
    }

    static Map<String, Long> keyValues(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            String[] f = line.trim().split("[:\\s]+");
            if (f.length >= 2) {
                try {
                    out.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException e) {
                    // not a number: not a counter we read
                }
            }
        }
        return out;
    }

    /** The number of CPUs in a list such as {@code 0-3,8-11} (/sys/devices/system/cpu/online). */
    static int cpuCount(String list) {
        int n = 0;
        for (String part : list.trim().split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] r = part.split("-");
            n += r.length == 2 ? Integer.parseInt(r[1].trim()) - Integer.parseInt(r[0].trim()) + 1 : 1;
        }
        return Math.max(n, 1);
    }
}
