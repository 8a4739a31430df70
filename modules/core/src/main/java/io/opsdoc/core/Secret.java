package io.opsdoc.core;

import java.util.Objects;

/**
 * A credential. Its {@link #toString()} never shows the value, so it cannot leak through string
 * concatenation, logging or a debugger's default view; only {@link #reveal()} hands it to a client library.
 */
public final class Secret {
    private final String value;
    private final String origin;

    private Secret(String value, String origin) {
        this.value = Objects.requireNonNull(value);
        this.origin = origin;
    }

    /** @param origin where it came from, for messages ("environment variable MYSQL_PWD"); never the value. */
    public static Secret of(String value, String origin) {
        return new Secret(value, origin);
    }

    public String reveal() {
        return value;
    }

    public String origin() {
        return origin;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return "****";
    }
}
