package io.opsdoc.core.config;

import io.opsdoc.core.Finding;
import java.time.LocalDate;

/**
 * An accepted, known finding: shown as waived rather than hidden, and only until it expires, because a waiver
 * nobody revisits becomes a blind spot.
 *
 * @param check null to waive the code whatever check reports it
 */
public record Waiver(String target, String check, String code, String reason, String owner, LocalDate expires) {

    public boolean matches(String targetName, Finding f) {
        return target.equals(targetName) && code.equals(f.code()) && (check == null || check.equals(f.check()));
    }

    /** A waiver is valid through its expiry date and stops waiving the day after. */
    public boolean expired(LocalDate today) {
        return today.isAfter(expires);
    }
}
