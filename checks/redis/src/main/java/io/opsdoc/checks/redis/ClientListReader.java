package io.opsdoc.checks.redis;

import io.opsdoc.checks.redis.RedisFacts.ClientEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CLIENT LIST, parsed, and the clients worth showing: buffers filling up or blocked. */
final class ClientListReader {
    private ClientListReader() {
    }

    static List<ClientEntry> parse(String list) {
        List<ClientEntry> out = new ArrayList<>();
        for (String line : list.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> f = new LinkedHashMap<>();
            for (String part : line.trim().split(" ")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    f.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            out.add(new ClientEntry(f.getOrDefault("id", ""), f.getOrDefault("addr", ""), f.getOrDefault("name", ""),
                    f.getOrDefault("user", ""), f.getOrDefault("flags", ""), f.getOrDefault("cmd", ""),
                    num(f.get("age")), num(f.get("idle")), num(f.get("qbuf")), num(f.get("omem")), num(f.get("tot-mem"))));
        }
        return out;
    }

    /**
     * Other clients than the probe's own that hold output buffer memory, are blocked (flag b) or hold more than 1 MiB
     * of query buffer: the 20 with the most output buffer memory, most first.
     */
    static List<ClientEntry> noteworthy(List<ClientEntry> all) {
        return all.stream().filter(c -> !c.name().startsWith("opsdoc"))
                .filter(c -> c.omem() > 0 || c.flags().contains("b") || c.qbuf() > 1024 * 1024)
                .sorted(Comparator.comparingLong(ClientEntry::omem).reversed()).limit(20).toList();
    }

    private static long num(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
