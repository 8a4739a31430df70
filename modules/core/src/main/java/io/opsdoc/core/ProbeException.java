package io.opsdoc.core;

/**
 * Thrown by {@link Check#collect} when it knows precisely why it cannot decide: the check translates
 * its client library's error (an SQL error number, a protocol reply) into one of {@link ProbeErrors}
 * and a one-line reason an operator can act on.
 */
public class ProbeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient FindingCode code;

    public ProbeException(FindingCode code, String message) {
        super(message);
        this.code = code;
    }

    public ProbeException(FindingCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public FindingCode code() {
        return code;
    }
}
