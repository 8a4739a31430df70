package io.opsdoc.core.alerts;

/**
 * A user's mapping from the config's {@code alerts:} section: for alerts named {@code alert}, read {@code note}
 * and run {@code check} against {@code target}. Any of note, check and target may be null: the built-in map, the
 * note's first check and the alert's labels fill in what is left out.
 */
public record AlertMapping(String alert, String note, String check, String target) {
}
