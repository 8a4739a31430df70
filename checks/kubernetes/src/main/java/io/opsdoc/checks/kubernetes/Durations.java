package io.opsdoc.checks.kubernetes;

import java.time.Duration;
import java.time.Instant;

/** Ages as kubectl prints them: {@code 45s}, {@code 2m0s}, {@code 3h12m}, {@code 4d2h}. */
final class Durations {
    private Durations() {
    }

    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60) + "s";
        }
        if (s < 86_400) {
            return (s / 3600) + "h" + (s % 3600 / 60) + "m";
        }
        return (s / 86_400) + "d" + (s % 86_400 / 3600) + "h";
    }

    static String since(Instant from, Instant now) {
        return human(Duration.between(from, now));
    }

    static long seconds(Instant from, Instant to) {
        return Duration.between(from, to).getSeconds();
    }
}
