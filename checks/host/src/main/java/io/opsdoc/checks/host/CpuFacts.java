package io.opsdoc.checks.host;

/**
 * What linux-cpu read: the {@code cpu} and {@code procs_} lines of {@code /proc/stat} at the start and at the end of
 * the window (e.g. {@code cpu  1087398 20173 273106 828990 5565 0 11285 0 0 0}, in USER_HZ ticks), and
 * {@code /proc/pressure/cpu} at both ends (null when the kernel has no PSI or it is switched off).
 */
public record CpuFacts(String statBefore, String statAfter, String pressureBefore, String pressureAfter,
        double windowSeconds) {
}
