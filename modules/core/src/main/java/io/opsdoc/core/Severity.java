package io.opsdoc.core;

/**
 * How bad a finding is. Exit codes follow the Nagios plugin convention.
 *
 * <p>{@link #rank()} orders severities for "worst of": UNKNOWN ranks above WARNING because
 * "we could not look" may hide a critical condition, so it must never be drowned by a warning.
 */
public enum Severity {
    OK(0, 0),
    INFO(1, 0),
    WARNING(2, 1),
    UNKNOWN(3, 3),
    CRITICAL(4, 2);

    private final int rank;
    private final int exitCode;

    Severity(int rank, int exitCode) {
        this.rank = rank;
        this.exitCode = exitCode;
    }

    public int rank() {
        return rank;
    }

    /** Nagios plugin exit code: 0 OK (and INFO), 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
    public int exitCode() {
        return exitCode;
    }

    public Severity worst(Severity other) {
        return other.rank > rank ? other : this;
    }

    /** True when this severity means something needs attention (WARNING, UNKNOWN, CRITICAL). */
    public boolean isProblem() {
        return rank >= WARNING.rank;
    }
}
