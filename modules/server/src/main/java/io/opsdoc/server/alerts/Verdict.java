package io.opsdoc.server.alerts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a live check says about an alert, right now. */
public enum Verdict {
    /** The check sees the problem now (for a resolved alert: it is still there). */
    CONFIRMED,
    /** The alert is resolved and the check agrees. */
    RECOVERED,
    /** The alert fires but the check finds nothing: a flap, a threshold mismatch, or a problem the check cannot see. */
    NOT_REPRODUCIBLE,
    /** The check could not run to the end: unreachable, timed out, denied. */
    CHECK_ERROR,
    /** Nothing to run: no note, no check, or no target for this alert. */
    NOT_CHECKED,
    /** The check is still running; the verdict is forwarded when it is done. */
    PENDING;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
