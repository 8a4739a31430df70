package io.opsdoc.core.report;

import io.opsdoc.core.gate.Outcome;
import java.io.PrintStream;

/** Renders an outcome (one check run, or a whole gate) in one output format. */
public interface ReportWriter {
    void write(Outcome outcome, PrintStream out);
}
