package io.opsdoc.core.gate;

import io.opsdoc.core.Severity;
import io.opsdoc.core.UsageException;
import java.util.Locale;

/**
 * Which findings fail a gate. The default keeps the Nagios codes (0/1/2/3); the others answer a pipeline's
 * yes-or-no question with 0 or 1.
 *
 * <p>Thresholds follow the severity ranking OK &lt; INFO &lt; WARNING &lt; UNKNOWN &lt; CRITICAL, so
 * {@code --fail-on warning} also fails on UNKNOWN and CRITICAL, and {@code --fail-on critical} lets a target that
 * could not be reached pass (use {@code unknown} when an unreachable target must fail). Waived findings never fail.
 */
public enum FailOn {
    NAGIOS, WARNING, UNKNOWN, CRITICAL, NEW;

    public static FailOn parse(String s) {
        if (s == null) {
            return NAGIOS;
        }
        try {
            return FailOn.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--fail-on must be warning, critical, unknown or new, not '" + s + "'");
        }
    }

    public int exitCode(Outcome outcome) {
        return switch (this) {
            case NAGIOS -> outcome.status().exitCode();
            case WARNING -> failsAt(outcome, Severity.WARNING);
            case UNKNOWN -> failsAt(outcome, Severity.UNKNOWN);
            case CRITICAL -> failsAt(outcome, Severity.CRITICAL);
            case NEW -> outcome.findings().stream()
                    .anyMatch(f -> !outcome.isWaived(f) && f.severity().isProblem()
                            && (!outcome.baseline() || outcome.change(f) == Change.NEW)) ? 1 : 0;
        };
    }

    private static int failsAt(Outcome outcome, Severity threshold) {
        return outcome.status().rank() >= threshold.rank() ? 1 : 0;
    }
}
