package io.opsdoc.core.config;

import io.opsdoc.core.UsageException;

/** A mistake in opsdoc.yaml, located as {@code file:line:column: key.path: what is wrong}. Exit 64 like any usage error. */
public final class ConfigException extends UsageException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
