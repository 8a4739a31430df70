package io.opsdoc.checks.host;

import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsing what the host gives about file systems: {@code df -P -T} rows and {@code /proc/self/mounts}. */
final class Mounts {
    /** Pseudo and in-memory file systems skipped unless named with {@code --set mounts=}. */
    static final String IGNORED_TYPES = "tmpfs,devtmpfs,overlay,squashfs,proc,sysfs,cgroup,cgroup2,nsfs,autofs,ramfs,"
            + "efivarfs,iso9660,fuse.lxcfs,tracefs,debugfs,securityfs,pstore,bpf,configfs,fusectl,mqueue,hugetlbfs";

    private Mounts() {
    }

    /**
     * One {@code df -P -T} row: the three numbers are 1K blocks (total, used, available) or inodes (total, used,
     * free); -1 where df prints '-'.
     */
    record DfRow(String device, String type, long total, long used, long available, String mountPoint) {
    }

    /** The data rows of {@code df -P -T} output, one per mount point (a second path on the same one is dropped). */
    static List<DfRow> parseDf(String output) throws ProbeException {
        Map<String, DfRow> rows = new LinkedHashMap<>();
        List<String> lines = output.lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("Filesystem")) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "df printed no table (first line: '"
                    + (lines.isEmpty() ? "" : lines.get(0)) + "')");
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] t = line.trim().split("\\s+");
            if (t.length < 7) {
                continue;
            }
            // the mount point is the rest of the line: it may contain spaces
            String mount = String.join(" ", Arrays.copyOfRange(t, 6, t.length));
            rows.putIfAbsent(mount, new DfRow(t[0], t[1], number(t[2]), number(t[3]), number(t[4]), mount));
        }
        return List.copyOf(rows.values());
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Mount points mounted read-only, from {@code /proc/self/mounts} (octal escapes such as {@code \040} decoded). */
    static Set<String> readOnly(String procMounts) {
        Set<String> ro = new LinkedHashSet<>();
        for (String line : procMounts.lines().toList()) {
            String[] f = line.split(" ");
            if (f.length >= 4 && List.of(f[3].split(",")).contains("ro")) {
                ro.add(unescape(f[1]));
            }
        }
        return ro;
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The comma-separated paths of {@code --set mounts=}, trimmed, empty ones dropped. */
    static List<String> paths(String parameter) {
        List<String> out = new ArrayList<>();
        for (String p : parameter.split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    static Set<String> types(String parameter) {
        return new LinkedHashSet<>(paths(parameter));
    }

    /** The mount point among {@code mountPoints} that holds {@code path} (the longest prefix), or null. */
    static String holding(String path, List<String> mountPoints) {
        String best = null;
        for (String m : mountPoints) {
            boolean inside = m.equals("/") || path.equals(m) || path.startsWith(m + "/");
            if (inside && (best == null || m.length() > best.length())) {
                best = m;
            }
        }
        return best;
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
