package io.opsdoc.core;

/**
 * One tunable of a check: {@code lag-warning}, a {@link ParameterType#DURATION}, default {@code 30s}.
 * The default is written as an operator would type it, so help and docs show it verbatim.
 */
public record ParameterSpec(String name, ParameterType type, String defaultValue, String description) {
    public ParameterSpec {
        type.parse(defaultValue); // a check with an unparseable default is a bug: fail at class load, not at 3 am
    }
}
