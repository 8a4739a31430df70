package io.opsdoc.cli.lab;

import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;

/**
 * One fault a lab suite induces for real, and the finding code the check must report for it.
 *
 * @param expectedCode the code that must appear, or null for the healthy scenario (status OK or INFO)
 * @param run          breaks the lab, runs the check, undoes anything heal() cannot, and returns the report
 */
public record LabScenario(String name, String description, String expectedCode, Run run) {

    @FunctionalInterface
    public interface Run {
        Report execute() throws Exception;
    }

    public boolean matches(Report r) {
        if (expectedCode == null) {
            return r.status().exitCode() == Severity.OK.exitCode() && r.status() != Severity.UNKNOWN;
        }
        return r.findings().stream().anyMatch(f -> f.code().equals(expectedCode));
    }
}
