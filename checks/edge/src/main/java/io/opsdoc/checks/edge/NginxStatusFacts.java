package io.opsdoc.checks.edge;

/**
 * Two readings of stub_status, {@code windowMs} apart (the window actually measured, see SamplingWindow).
 *
 * @param url    the status page read
 * @param second null when no time was left for a second reading (rates are then not computed)
 * @param tuning the configuration facts, null when no config-file was given
 */
public record NginxStatusFacts(String url, StubStatus first, StubStatus second, long windowMs, NginxTuningFacts tuning) {
    public NginxStatusFacts(String url, StubStatus first, StubStatus second, long windowMs) {
        this(url, first, second, windowMs, null);
    }

    /** The latest reading. */
    public StubStatus last() {
        return second == null ? first : second;
    }
}
