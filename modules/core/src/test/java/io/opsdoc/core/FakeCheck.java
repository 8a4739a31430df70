package io.opsdoc.core;

import java.util.List;
import java.util.concurrent.Callable;

/** A check whose collect does whatever the test says, to exercise the engine without a server. */
final class FakeCheck implements Check<FakeCheck.Facts> {
    record Facts(long value) {
    }

    static final FindingCode HIGH = FindingCode.inNote("test/fake", "VALUE_HIGH", "value above limit");
    private final Callable<Facts> collect;

    FakeCheck(Callable<Facts> collect) {
        this.collect = collect;
    }

    @Override
    public String id() {
        return "fake-check";
    }

    @Override
    public String targetScheme() {
        return "fake";
    }

    @Override
    public String title() {
        return "fake";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(new ParameterSpec("limit", ParameterType.INTEGER, "10", "limit"));
    }

    @Override
    public List<FindingCode> codes() {
        return List.of(HIGH);
    }

    @Override
    public List<GrantSet> grants() {
        return List.of();
    }

    @Override
    public Class<Facts> factsType() {
        return Facts.class;
    }

    @Override
    public Facts collect(CheckContext context) throws Exception {
        return collect.call();
    }

    @Override
    public void evaluate(Facts facts, Parameters parameters, Evaluation.Builder out) {
        if (facts.value() < 0) {
            out.finding("NOT_DECLARED", Severity.WARNING, "bug", Evidence.of());
        }
        if (facts.value() > parameters.integer("limit")) {
            out.finding(HIGH.code(), Severity.CRITICAL, "value " + facts.value() + " is above the limit",
                    Evidence.of("value", facts.value(), "limit", parameters.integer("limit")));
            out.metric(Metric.of("value", facts.value(), ""));
        }
    }
}
