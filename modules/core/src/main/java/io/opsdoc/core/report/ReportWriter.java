package io.opsdoc.core.report;

import io.opsdoc.core.Report;
import java.io.PrintStream;
import java.util.List;

/** Renders reports in one output format. */
public interface ReportWriter {
    void write(List<Report> reports, PrintStream out);
}
