package io.opsdoc.checks.host;

import java.util.List;
import java.util.Map;

/**
 * What linux-service-autostart read below {@code root}: every entry of the unit directories, init scripts, runlevel
 * links and rc.local ({@code find -printf}: path without the root, type letter, link target, octal mode), the unit
 * files of the named services and rc.local's text (path to content), and, only when systemd runs there, the
 * {@code systemctl show} output of the named units (null otherwise).
 */
public record AutostartFacts(String root, List<Entry> entries, Map<String, String> files, String systemctl) {

    /** One listed path: {@code type} is find's %y (f, d, l, ...), {@code link} its target ("" when not a link). */
    public record Entry(String path, String type, String link, String mode) {
    }

    /** find's NUL-ended fields, four per entry, with {@code root} taken off the front of each path. */
    static List<Entry> parse(String listing, String root) {
        String prefix = root.equals("/") ? "" : root;
        String[] f = listing.split("\0", -1);
        List<Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i + 3 < f.length; i += 4) {
            String path = f[i].startsWith(prefix) ? f[i].substring(prefix.length()) : f[i];
            entries.add(new Entry(path, f[i + 1], f[i + 2], f[i + 3]));
        }
        return List.copyOf(entries);
    }
}
