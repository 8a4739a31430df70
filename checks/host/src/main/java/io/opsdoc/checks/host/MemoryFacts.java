package io.opsdoc.checks.host;

import java.util.Map;

/**
 * What linux-memory read: {@code /proc/meminfo} (values in KiB, as the file gives them), the {@code oom_kill}
 * counter of {@code /proc/vmstat} at the start and, when a window was asked for, at its end, and the uptime.
 *
 * @param oomKillsAfter null when no window was sampled
 */
public record MemoryFacts(Map<String, Long> meminfoKib, Long oomKillsBefore, Long oomKillsAfter, double windowSeconds,
        double uptimeSeconds) {
}
