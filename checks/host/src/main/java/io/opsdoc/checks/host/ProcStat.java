package io.opsdoc.checks.host;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code /proc/PID/stat} as {@link HostAccess.Host#processStats()} returns them: the pid, the command
 * (between the first '(' and the last ')', since a command may itself hold spaces and parentheses), and the fields
 * after it, the state first.
 */
public record ProcStat(long pid, String command, List<String> after) {

    public String state() {
        return after.get(0);
    }

    /** A process that runs or sleeps: not a zombie (Z) and not dead (X). */
    public boolean live() {
        return !state().equals("Z") && !state().equals("X");
    }

    /** Field {@code n} of proc(5)'s stat, counting from 1 (the pid); numeric fields only, from 4 (ppid) on. */
    public long field(int n) {
        return Long.parseLong(after.get(n - 3));
    }

    /** Every well-formed line; a line cut short by a process that ended while it was read is skipped. */
    public static List<ProcStat> parse(String statLines) {
        List<ProcStat> all = new ArrayList<>();
        for (String line : statLines.lines().toList()) {
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            if (open < 0 || close < open || close + 2 >= line.length()) {
                continue;
            }
            try {
                long pid = Long.parseLong(line.substring(0, open).trim());
                all.add(new ProcStat(pid, line.substring(open + 1, close),
                        Arrays.asList(line.substring(close + 2).split(" "))));
            } catch (NumberFormatException e) {
                // not a stat line
            }
        }
        return all;
    }

    /**
     * Live processes by command, or null when PID 1 is not among them: /proc mounted with hidepid shows a user only
     * its own processes, so a missing process would prove nothing.
     */
    public static Map<String, Integer> liveByCommand(List<ProcStat> all) {
        if (all.stream().noneMatch(p -> p.pid() == 1)) {
            return null;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        all.stream().filter(ProcStat::live).forEach(p -> counts.merge(p.command(), 1, Integer::sum));
        return counts;
    }

    /** The command of PID 1 (systemd, init, tini...), or null when it is not listed. */
    public static String init(List<ProcStat> all) {
        return all.stream().filter(p -> p.pid() == 1).map(ProcStat::command).findFirst().orElse(null);
    }
}
