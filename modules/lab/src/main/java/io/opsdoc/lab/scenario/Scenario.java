package io.opsdoc.lab.scenario;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One promise "this real fault makes these checks report these codes", written once: the tests run it, {@code opsdoc
 * lab} shows it, and the coverage test counts it. A healthy scenario is the counterpart: the same checks on the same
 * lab, nothing broken, status OK or INFO.
 *
 * @param id       stable, kebab-case, unique across every lab
 * @param story    one line: what happened to the system, as an operator would say it
 * @param checks   the check ids it runs, in order, on the same target
 * @param target   the target URI, read from the lab after the fault is induced
 * @param params   check parameters, some read from the lab (a CA file it generated)
 * @param password the password to log in with, or null
 * @param fault    what it breaks
 * @param healthy  true when every report must be OK or INFO
 * @param expected codes that must be reported, with what they must say
 * @param absent   codes that must not be reported
 * @param metrics  metric names every report must carry
 * @param timeout  each check's deadline
 * @param variants the lab variants it runs on; empty for all
 */
public record Scenario<L extends Lab>(String id, String story, List<String> checks, Function<L, String> target,
        Map<String, Function<L, String>> params, Function<L, String> password, Fault<L> fault, boolean healthy,
        List<Expect> expected, Set<String> absent, List<String> metrics, Duration timeout, Set<String> variants) {

    public static <L extends Lab> Builder<L> of(String id, String story) {
        return new Builder<>(id, story);
    }

    public boolean runsOn(String variant) {
        return variants.isEmpty() || variants.contains(variant);
    }

    /** What the reports got wrong; empty when the scenario held. */
    public List<String> problems(List<Report> reports) {
        List<String> problems = new ArrayList<>();
        if (healthy) {
            for (Report r : reports) {
                if (r.status() == Severity.UNKNOWN || r.status().exitCode() != 0) {
                    problems.add(r.check() + " is " + r.status() + ", expected OK: " + codes(r));
                }
            }
        }
        for (Expect e : expected) {
            String p = e.problem(reports);
            if (p != null) {
                problems.add(p);
            }
        }
        for (Report r : reports) {
            for (Finding f : r.findings()) {
                if (absent.contains(f.code())) {
                    problems.add(f.code() + " reported by " + r.check() + ", expected absent: " + f.summary());
                }
            }
            for (String m : metrics) {
                if (r.metrics().stream().noneMatch(x -> x.name().equals(m))) {
                    problems.add(r.check() + " has no metric " + m);
                }
            }
        }
        return problems;
    }

    private static List<String> codes(Report r) {
        return r.findings().stream().map(f -> f.code() + "(" + f.severity() + ")").toList();
    }

    /** Builds a scenario; a family usually starts from a builder with its usual target and password set. */
    public static final class Builder<L extends Lab> {
        private final String id;
        private final String story;
        private final List<String> checks = new ArrayList<>();
        private Function<L, String> target;
        private final Map<String, Function<L, String>> params = new LinkedHashMap<>();
        private Function<L, String> password = lab -> null;
        private Fault<L> fault = Fault.none();
        private boolean healthy;
        private final List<Expect> expected = new ArrayList<>();
        private final Set<String> absent = new LinkedHashSet<>();
        private final List<String> metrics = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(10);
        private final Set<String> variants = new LinkedHashSet<>();

        private Builder(String id, String story) {
            this.id = Objects.requireNonNull(id);
            this.story = Objects.requireNonNull(story);
        }

        public Builder<L> checks(String... ids) {
            checks.addAll(List.of(ids));
            return this;
        }

        public Builder<L> target(Function<L, String> t) {
            target = t;
            return this;
        }

        public Builder<L> password(Function<L, String> p) {
            password = p;
            return this;
        }

        public Builder<L> param(String name, String value) {
            params.put(name, lab -> value);
            return this;
        }

        public Builder<L> param(String name, Function<L, String> value) {
            params.put(name, value);
            return this;
        }

        /** The fault; {@link Lab#heal()} undoes it. */
        public Builder<L> breaks(Fault.ThrowingConsumer<L> change) {
            fault = Fault.of(change);
            return this;
        }

        /** A fault that lasts while the checks run: the handle it returns is closed after them. */
        public Builder<L> holds(Fault<L> f) {
            fault = f;
            return this;
        }

        public Builder<L> healthy() {
            healthy = true;
            return this;
        }

        public Builder<L> expect(String... codes) {
            for (String c : codes) {
                expected.add(Expect.code(c));
            }
            return this;
        }

        public Builder<L> expect(Expect e) {
            expected.add(e);
            return this;
        }

        public Builder<L> absent(String... codes) {
            absent.addAll(List.of(codes));
            return this;
        }

        public Builder<L> metrics(String... names) {
            metrics.addAll(List.of(names));
            return this;
        }

        public Builder<L> timeout(Duration d) {
            timeout = d;
            return this;
        }

        public Builder<L> onlyOn(String... variantNames) {
            variants.addAll(List.of(variantNames));
            return this;
        }

        public Scenario<L> build() {
            if (checks.isEmpty() || target == null) {
                throw new IllegalStateException("scenario " + id + " needs checks and a target");
            }
            if (!healthy && expected.isEmpty()) {
                throw new IllegalStateException("scenario " + id + " expects nothing: a fault must produce a code, "
                        + "a healthy counterpart must say healthy()");
            }
            return new Scenario<>(id, story, List.copyOf(checks), target, Map.copyOf(params), password, fault, healthy,
                    List.copyOf(expected), Set.copyOf(absent), List.copyOf(metrics), timeout, Set.copyOf(variants));
        }
    }
}
