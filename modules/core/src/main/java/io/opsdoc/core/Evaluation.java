package io.opsdoc.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The findings and metrics {@link Check#evaluate} produced from one set of facts. */
public record Evaluation(List<Finding> findings, List<Metric> metrics) {

    /** Runs the pure half of a check. Used by the runner, by replay and by tests on recorded facts. */
    public static <F> Evaluation of(Check<F> check, String target, F facts, Parameters parameters) {
        Builder b = new Builder(check.id(), target, check.codes());
        check.evaluate(facts, parameters, b);
        return b.build();
    }

    public Severity status() {
        return findings.stream().map(Finding::severity).reduce(Severity.OK, Severity::worst);
    }

    /** Collects findings for one check and target, filling in the note and fingerprint from the declared code. */
    public static final class Builder {
        private final String check;
        private final String target;
        private final Map<String, FindingCode> codes = new LinkedHashMap<>();
        private final List<Finding> findings = new ArrayList<>();
        private final List<Metric> metrics = new ArrayList<>();

        public Builder(String check, String target, List<FindingCode> declared) {
            this.check = check;
            this.target = target;
            declared.forEach(c -> codes.put(c.code(), c));
            ProbeErrors.ALL.forEach(c -> codes.putIfAbsent(c.code(), c));
        }

        public Builder finding(CheckCode code, Severity severity, String summary, Evidence evidence) {
            return finding(code.name(), severity, summary, evidence, null);
        }

        public Builder finding(CheckCode code, Severity severity, String summary, Evidence evidence, String subject) {
            return finding(code.name(), severity, summary, evidence, subject);
        }

        public Builder finding(String code, Severity severity, String summary, Evidence evidence) {
            return finding(code, severity, summary, evidence, null);
        }

        public Builder finding(String code, Severity severity, String summary, Evidence evidence, String subject) {
            FindingCode declared = codes.get(code);
            if (declared == null) {
                throw new IllegalStateException("check " + check + " emitted undeclared finding code " + code);
            }
            findings.add(Finding.of(check, target, code, severity, summary, evidence.asMap(), declared.note(), subject));
            return this;
        }

        public Builder metric(Metric metric) {
            metrics.add(metric);
            return this;
        }

        public Evaluation build() {
            return new Evaluation(List.copyOf(findings), List.copyOf(metrics));
        }
    }
}
