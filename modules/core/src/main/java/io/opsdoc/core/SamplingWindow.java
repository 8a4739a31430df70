package io.opsdoc.core;

import java.time.Duration;

/**
 * The rule for checks that sample twice (rates from two INFO or offset samples): <b>a sampling window never makes a
 * user's {@code --timeout} useless.</b> The window is fitted when sampling starts, after the connection is made: it
 * is the requested window, or what is left before the deadline minus a reserve for the reads after it, whichever is
 * shorter. The reserve is one second, or half of what is left when less than two seconds are left. So
 * {@code --timeout 3s} with the default 2 s window still connects, samples about 2 s and reports; {@code --timeout 2s}
 * samples about 1 s. Rates are computed over the window actually measured, which the evidence shows
 * ({@code window_ms}), so a shortened window is visible, never silently passed off as the requested one.
 */
public final class SamplingWindow {
    static final Duration RESERVE = Duration.ofSeconds(1);

    private SamplingWindow() {
    }

    /** The window to sample over, given the time {@code remaining} before the deadline; never negative. */
    public static Duration fit(Duration requested, Duration remaining) {
        if (remaining.isNegative() || remaining.isZero()) {
            return Duration.ZERO;
        }
        Duration reserve = RESERVE.compareTo(remaining.dividedBy(2)) < 0 ? RESERVE : remaining.dividedBy(2);
        Duration available = remaining.minus(reserve);
        return requested.compareTo(available) <= 0 ? requested : available;
    }
}
