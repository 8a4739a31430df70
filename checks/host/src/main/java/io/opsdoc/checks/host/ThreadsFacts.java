package io.opsdoc.checks.host;

import java.util.List;

/**
 * What linux-process-threads read: every process's thread count (field 20 of {@code /proc/[pid]/stat}), the
 * processes it judges (those named, or the busiest when none is named) with their pids cgroup's {@code pids.current}
 * and {@code pids.max}, and {@code kernel.threads-max}.
 *
 * @param threadsTotal threads of all processes together
 */
public record ThreadsFacts(long threadsTotal, long threadsMax, List<Proc> processes) {

    /**
     * One process; {@code cgroup} the pids cgroup path, {@code pidsMax} -1 when unlimited ("max"), {@code pidsCurrent}
     * -1 when the cgroup could not be read (the root cgroup has no limit files).
     */
    public record Proc(long pid, String command, long threads, String cgroup, long pidsCurrent, long pidsMax) {
    }
}
