package io.opsdoc.core;

import java.util.List;

/**
 * One documented procedure made executable. Found through {@link java.util.ServiceLoader}.
 *
 * <p>A check has two halves: {@link #collect} is the only part that does I/O and returns raw, serializable
 * facts; {@link #evaluate} is a pure function from facts and parameters to findings. That split is what makes
 * {@code --capture}/{@code replay}, offline tests on recorded facts, and "show me why" possible.
 *
 * @param <F> the facts type; must round-trip through Jackson (a record of strings, numbers, lists and maps)
 */
public interface Check<F> {

    /** Stable kebab-case id, e.g. {@code mysql-replication}. */
    String id();

    /** The URI scheme of the targets it runs on, e.g. {@code mysql}. */
    String targetScheme();

    /**
     * Every URI scheme it accepts; {@link #targetScheme()} first. Most checks run on one kind of target; a web
     * check runs on both {@code http} and {@code https}.
     */
    default List<String> targetSchemes() {
        return List.of(targetScheme());
    }

    /** One line: what question it answers. */
    String title();

    List<ParameterSpec> parameters();

    /** Every code {@link #evaluate} can emit; emitting an undeclared code is a bug the engine reports. */
    List<FindingCode> codes();

    /** Least privileges, per target flavour. */
    List<GrantSet> grants();

    Class<F> factsType();

    /**
     * Rejects a target this check cannot use (no user where one is required, a parameter in the wrong place)
     * with a {@link UsageException}, before any connection is made.
     */
    default void validate(Target target) {
    }

    /**
     * Also rejects parameters this check cannot use (a file that cannot be read, a value outside what the check
     * supports) as a {@link UsageException}: bad input is exit 64 before any connection, never an UNKNOWN verdict.
     */
    default void validate(Target target, Parameters parameters) {
        validate(target);
    }

    /** Gathers raw facts from the target. No decisions here. */
    F collect(CheckContext context) throws Exception;

    /** Decides findings and metrics from facts. No I/O here. */
    void evaluate(F facts, Parameters parameters, Evaluation.Builder out);
}
