package io.opsdoc.checks.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a unit starts at boot, decided from files alone as {@code systemctl is-enabled} does when no manager runs:
 * a mask (a link to /dev/null) in /etc or /run wins; a link in a {@code .wants} or {@code .requires} directory of
 * /etc/systemd/system is "enabled" (of /run: "enabled-runtime", gone after a reboot); an unlinked unit file is
 * "disabled" when its [Install] section names a target, else "static" (started as a dependency, never enabled);
 * without a unit file, a SysV script in /etc/init.d counts when a start link S## exists in /etc/rc2.d-rc5.d (the
 * multi-user runlevels systemd's sysv generator maps).
 */
final class AutostartState {
    static final Set<String> STARTS_AT_BOOT = Set.of("enabled", "sysv-enabled", "alias", "linked");
    private static final List<String> UNIT_DIRS = List.of("/etc/systemd/system", "/run/systemd/system",
            "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system");
    private static final Pattern INSTALL_KEY = Pattern.compile("(?m)^\\s*(WantedBy|RequiredBy|UpheldBy|Alias)\\s*=\\s*\\S");

    private final Map<String, AutostartFacts.Entry> byPath = new LinkedHashMap<>();
    private final Map<String, String> files;

    record Resolution(String state, String evidence) {
    }

    AutostartState(List<AutostartFacts.Entry> entries, Map<String, String> files) {
        entries.forEach(e -> byPath.putIfAbsent(e.path(), e));
        this.files = files;
    }

    AutostartFacts.Entry entry(String path) {
        return byPath.get(path);
    }

    /** The unit file systemd would load for {@code unit} (first in its search order), or null. */
    String unitFile(String unit) {
        for (String dir : UNIT_DIRS) {
            AutostartFacts.Entry e = byPath.get(dir + "/" + unit);
            if (e != null && (e.type().equals("f") || e.type().equals("l")) && !e.link().equals("/dev/null")) {
                return e.path();
            }
        }
        return null;
    }

    /** rc.local when it exists as a regular file (the RHEL place first, where /etc/rc.local links to it). */
    String rcLocal() {
        for (String p : List.of("/etc/rc.d/rc.local", "/etc/rc.local")) {
            AutostartFacts.Entry e = byPath.get(p);
            if (e != null && e.type().equals("f")) {
                return p;
            }
        }
        return null;
    }

    Resolution resolve(String unit) {
        for (String dir : List.of("/etc/systemd/system", "/run/systemd/system")) {
            AutostartFacts.Entry e = byPath.get(dir + "/" + unit);
            if (e != null && e.type().equals("l") && e.link().equals("/dev/null")) {
                return new Resolution(dir.startsWith("/run") ? "masked-runtime" : "masked", e.path() + " -> /dev/null");
            }
        }
        for (String dir : List.of("/etc/systemd/system", "/run/systemd/system")) {
            for (String p : byPath.keySet()) {
                if (p.startsWith(dir + "/") && p.endsWith("/" + unit)
                        && p.substring(dir.length() + 1).matches("[^/]+\\.(wants|requires)/" + Pattern.quote(unit))) {
                    return new Resolution(dir.startsWith("/run") ? "enabled-runtime" : "enabled", p);
                }
            }
        }
        String file = unitFile(unit);
        if (file != null) {
            String text = files.get(file);
            if (text == null) {
                return new Resolution("disabled", file); // collect reads every unit file it resolves
            }
            return INSTALL_KEY.matcher(install(text)).find() ? new Resolution("disabled", file
                    + " has an [Install] section, no link to it in /etc/systemd/system/*.wants")
                    : new Resolution("static", file + " has no [Install] section");
        }
        if (unit.endsWith(".service")) {
            String name = unit.substring(0, unit.length() - ".service".length());
            if (byPath.containsKey("/etc/init.d/" + name)) {
                List<String> starts = new ArrayList<>();
                for (String p : byPath.keySet()) {
                    if (p.matches("/etc/rc[2-5]\\.d/S[0-9]{2}" + Pattern.quote(name))) {
                        starts.add(p);
                    }
                }
                return starts.isEmpty()
                        ? new Resolution("sysv-disabled", "/etc/init.d/" + name + " and no S##" + name
                                + " link in /etc/rc2.d-/etc/rc5.d")
                        : new Resolution("sysv-enabled", String.join(", ", starts));
            }
        }
        return new Resolution("not-found", "no unit file in " + String.join(", ", UNIT_DIRS) + " and no /etc/init.d "
                + "script");
    }

    /** The [Install] section's lines of a unit file. */
    static String install(String unitFile) {
        StringBuilder s = new StringBuilder();
        boolean in = false;
        for (String line : unitFile.lines().toList()) {
            String t = line.strip();
            if (t.startsWith("[")) {
                in = t.equals("[Install]");
            } else if (in) {
                s.append(t).append('\n');
            }
        }
        return s.toString();
    }

    /** rc.local's lines that do something: not blank, not comments, not the stock "exit 0" or subsys touch. */
    static List<String> rcLocalCommands(String text) {
        List<String> commands = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.equals("exit 0") || t.equals("touch /var/lock/subsys/local")) {
                continue;
            }
            commands.add(t);
        }
        return commands;
    }

    /** {@code systemctl show} output, blocks separated by blank lines, by Id. Empty when null. */
    static Map<String, Map<String, String>> systemctl(String show) {
        Map<String, Map<String, String>> units = new LinkedHashMap<>();
        if (show == null) {
            return units;
        }
        Map<String, String> block = new LinkedHashMap<>();
        for (String line : (show + "\n\n").lines().toList()) {
            if (line.isBlank()) {
                if (block.containsKey("Id")) {
                    units.put(block.get("Id"), block);
                }
                block = new LinkedHashMap<>();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                block.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return units;
    }

    static String explain(String state) {
        return switch (state) {
            case "disabled" -> "its unit file can be enabled, but no target wants it";
            case "masked", "masked-runtime" -> "linked to /dev/null, so it cannot be started at all";
            case "enabled-runtime" -> "enabled under /run only, which a reboot clears";
            case "sysv-disabled" -> "an init script with no start link in runlevels 2-5";
            case "not-found" -> "no unit file and no init script by that name: not installed, or a different name";
            default -> state;
        };
    }

    static String fix(String unit, String state) {
        return switch (state) {
            case "masked", "masked-runtime" -> "systemctl unmask " + unit + " && systemctl enable " + unit;
            case "sysv-disabled" -> "systemctl enable " + unit + " (on systemd; update-rc.d NAME defaults or chkconfig "
                    + "NAME on without it)";
            case "not-found" -> "check the name (systemctl list-unit-files) and that the package is installed";
            default -> "systemctl enable " + unit;
        };
    }
}
