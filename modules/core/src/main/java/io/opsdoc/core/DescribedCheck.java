package io.opsdoc.core;

import java.util.List;

/**
 * A check whose description (id, target kind, title, facts type, parameters, codes, grants) is given once, in its
 * constructor, so each check class holds only what is its own: validation, collect and evaluate.
 */
public abstract class DescribedCheck<F> implements Check<F> {
    private final String id;
    private final String targetScheme;
    private final String title;
    private final Class<F> factsType;
    private final List<ParameterSpec> parameters;
    private final List<FindingCode> codes;
    private final List<GrantSet> grants;

    /** A check whose codes are the constants of one enum ({@link CheckCode}). */
    protected <E extends Enum<E> & CheckCode> DescribedCheck(String id, String targetScheme, String title,
            Class<F> factsType, List<ParameterSpec> parameters, Class<E> codes, List<GrantSet> grants) {
        this(id, targetScheme, title, factsType, parameters, CheckCode.declarations(codes), grants);
    }

    protected DescribedCheck(String id, String targetScheme, String title, Class<F> factsType,
            List<ParameterSpec> parameters, List<FindingCode> codes, List<GrantSet> grants) {
        this.id = id;
        this.targetScheme = targetScheme;
        this.title = title;
        this.factsType = factsType;
        this.parameters = List.copyOf(parameters);
        this.codes = List.copyOf(codes);
        this.grants = List.copyOf(grants);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String targetScheme() {
        return targetScheme;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final Class<F> factsType() {
        return factsType;
    }

    @Override
    public final List<ParameterSpec> parameters() {
        return parameters;
    }

    @Override
    public final List<FindingCode> codes() {
        return codes;
    }

    @Override
    public final List<GrantSet> grants() {
        return grants;
    }
}
