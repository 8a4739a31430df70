package io.opsdoc.checks.host;

/**
 * What linux-swap read: SwapTotal and SwapFree from {@code /proc/meminfo} (KiB) and the {@code pswpin} /
 * {@code pswpout} page counters of {@code /proc/vmstat} at the start and, when a window was asked for, at its end.
 *
 * @param swapInAfter null when no window was sampled
 */
public record SwapFacts(long swapTotalKib, long swapFreeKib, long swapInBefore, long swapOutBefore, Long swapInAfter,
        Long swapOutAfter, double windowSeconds) {
}
