package io.opsdoc.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A check whose collect does whatever the test says, to exercise the engine without a server. Loaded through
 * ServiceLoader (test resources) it reads its behaviour from the target: {@code fake://hang:1} never answers,
 * {@code fake://h:42?sleep=200} reports the value 42 after 200 ms; it records how many runs were in flight per host.
 */
public final class FakeCheck implements Check<FakeCheck.Facts> {
    public record Facts(long value) {
    }

    static final FindingCode HIGH = FindingCode.inNote("test/fake", "VALUE_HIGH", "value above limit");
    static final Map<String, AtomicInteger> IN_FLIGHT = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> MOST_IN_FLIGHT = new ConcurrentHashMap<>();
    private final Callable<Facts> collect;

    FakeCheck(Callable<Facts> collect) {
        this.collect = collect;
    }

    public FakeCheck() {
        this.collect = null;
    }

    public static int mostInFlight(String host) {
        AtomicInteger n = MOST_IN_FLIGHT.get(host);
        return n == null ? 0 : n.get();
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
        if (collect != null) {
            return collect.call();
        }
        Target.HostPort hp = context.target().host();
        AtomicInteger now = IN_FLIGHT.computeIfAbsent(hp.host(), k -> new AtomicInteger());
        int n = now.incrementAndGet();
        MOST_IN_FLIGHT.computeIfAbsent(hp.host(), k -> new AtomicInteger()).accumulateAndGet(n, Math::max);
        try {
            if (hp.host().equals("hang")) {
                Thread.sleep(600_000);
            }
            Thread.sleep(Long.parseLong(context.target().query().getOrDefault("sleep", "0")));
            return new Facts(hp.port());
        } finally {
            now.decrementAndGet();
        }
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
