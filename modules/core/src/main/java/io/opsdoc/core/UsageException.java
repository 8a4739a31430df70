package io.opsdoc.core;

/** The user asked for something malformed (bad URI, unknown parameter, bad value). The CLI exits 64. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
