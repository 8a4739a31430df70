package io.opsdoc.core;

import java.util.List;

/**
 * The engine's own finding codes: a check could not decide (severity UNKNOWN). Every check can emit
 * them, so they are documented once, in the note {@code opsdoc/probe-errors}.
 */
public final class ProbeErrors {
    public static final String NOTE = "opsdoc/probe-errors";

    public static final FindingCode TIMEOUT =
            FindingCode.inNote(NOTE, "TIMEOUT", "the check did not finish within its deadline");
    public static final FindingCode UNREACHABLE =
            FindingCode.inNote(NOTE, "UNREACHABLE", "the target could not be reached (DNS, refused, no route)");
    public static final FindingCode CONNECTION_RESET = FindingCode.inNote(NOTE, "CONNECTION_RESET",
            "the target accepted the connection, then reset or closed it before answering");
    public static final FindingCode PROTOCOL_ERROR = FindingCode.inNote(NOTE, "PROTOCOL_ERROR",
            "the target answered, but not in the protocol the check speaks");
    public static final FindingCode AUTH_FAILED =
            FindingCode.inNote(NOTE, "AUTH_FAILED", "the target rejected the credentials");
    public static final FindingCode PERMISSION_DENIED =
            FindingCode.inNote(NOTE, "PERMISSION_DENIED", "logged in, but a needed privilege is missing");
    public static final FindingCode PROBE_FAILED =
            FindingCode.inNote(NOTE, "PROBE_FAILED", "the check failed for another reason");

    public static final List<FindingCode> ALL = List.of(TIMEOUT, UNREACHABLE, CONNECTION_RESET, PROTOCOL_ERROR,
            AUTH_FAILED, PERMISSION_DENIED, PROBE_FAILED);

    private ProbeErrors() {
    }
}
