package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.ZombieCode.ZOMBIES_PRESENT;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Are there zombie processes, and which parents fail to reap them? A zombie holds no memory, only its pid and
 * process-table slot; the fix is always on the parent, never on the zombie (which cannot be killed).
 */
public final class LinuxZombies extends HostCheck<ZombieFacts> {
    public static final String ID = "linux-zombies";
    static final String NOTE = "linux/zombies";

    private static final List<ParameterSpec> PARAMETERS = List.of(new ParameterSpec("warning", ParameterType.INTEGER,
            "10", "zombies in all at which to warn (fewer are reported as INFO: a parent may just be slow to reap)"));

    public LinuxZombies() {
        super(ID, "Are there zombie processes on this Linux host, and whose children are they?",
                ZombieFacts.class, PARAMETERS, HostTransportCode.with(ZombieCode.class), HostGrants.grants(ID,
                        "cat /proc/[0-9]*/stat (state and parent of every process)"));
    }

    @Override
    public ZombieFacts collect(CheckContext context) throws Exception {
        return HostSession.with(context, host -> of(host.processStats()));
    }

    /** Zombies and their parents from stat lines. */
    static ZombieFacts of(String statLines) {
        Map<Long, ZombieFacts.Task> all = new LinkedHashMap<>();
        for (ProcStat p : ProcStat.parse(statLines)) {
            try {
                all.put(p.pid(), new ZombieFacts.Task(p.pid(), p.command(), p.state(), p.field(4)));
            } catch (RuntimeException e) {
                // a line cut short by a process that ended while it was read
            }
        }
        List<ZombieFacts.Task> zombies = all.values().stream().filter(t -> t.state().equals("Z")).toList();
        Set<Long> parentIds = zombies.stream().map(ZombieFacts.Task::ppid).collect(Collectors.toSet());
        List<ZombieFacts.Task> parents = all.values().stream().filter(t -> parentIds.contains(t.pid())).toList();
        return new ZombieFacts(all.size(), zombies, parents);
    }

    @Override
    public void evaluate(ZombieFacts facts, Parameters p, Evaluation.Builder out) {
        out.metric(Metric.of("zombie_processes", facts.zombies().size(), ""));
        out.metric(Metric.of("processes", facts.processes(), ""));
        if (facts.zombies().isEmpty()) {
            return;
        }
        Map<Long, Long> perParent = facts.zombies().stream()
                .collect(Collectors.groupingBy(ZombieFacts.Task::ppid, LinkedHashMap::new, Collectors.counting()));
        Map<Long, ZombieFacts.Task> parents = facts.parents().stream()
                .collect(Collectors.toMap(ZombieFacts.Task::pid, t -> t, (a, b) -> a));
        List<String> lines = new ArrayList<>();
        perParent.entrySet().stream().sorted(Map.Entry.<Long, Long>comparingByValue(Comparator.reverseOrder())).limit(5)
                .forEach(e -> {
                    ZombieFacts.Task parent = parents.get(e.getKey());
                    lines.add("pid " + e.getKey() + " (" + (parent == null ? "?" : parent.command()) + "): "
                            + e.getValue() + " zombie(s)");
                });
        long warning = p.integer("warning");
        int count = facts.zombies().size();
        out.finding(ZOMBIES_PRESENT, count >= warning ? Severity.WARNING : Severity.INFO,
                count + " zombie process(es), not reaped by their parent(s): " + String.join("; ", lines)
                        + (count >= warning ? " (at or above " + warning + "): fix or restart the parent" : ""),
                Evidence.of("zombies", count, "parents", lines, "warning", warning));
    }
}
