package io.opsdoc.cli;

import io.opsdoc.cli.lab.LabScenario;
import io.opsdoc.cli.lab.LabSuite;
import io.opsdoc.cli.lab.LabSuites;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.gate.Outcome;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.core.report.TextReportWriter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "lab", description = {"Start real servers on loopback, break them one way after another, and show "
        + "what the checks find each time.", "Needs nothing installed: the servers come from Maven Central."})
final class LabCommand implements Callable<Integer> {
    @ParentCommand
    Opsdoc parent;

    @Option(names = "--suite", paramLabel = "NAME", description = "run only these suites (repeatable), e.g. mysql")
    List<String> suites = new ArrayList<>();

    @Option(names = "--scenario", paramLabel = "NAME", description = "run only these scenarios (repeatable); see --list")
    List<String> only = new ArrayList<>();

    @Option(names = "--list", description = "list the suites and their scenarios, and exit")
    boolean list;

    @Option(names = {"-v", "--verbose"}, description = "print the full report for every scenario")
    boolean verbose;

    @Option(names = "--lang", paramLabel = "LANG", description = "en or zh, for the runbook text in --verbose")
    String lang;

    @Override
    public Integer call() throws Exception {
        try {
            Class.forName("io.opsdoc.lab.MariaDbReplicationLab", false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new UsageException("the lab is not part of this installation (the distribution's lab/ directory is missing)");
        }
        PrintStream out = parent.out;
        TextReportWriter writer = new TextReportWriter(NoteCatalog.load(), OutputOptions.language(lang, parent.env), false);
        List<String> unknown = new ArrayList<>(only);
        int total = 0;
        int failures = 0;
        long t0 = System.nanoTime();
        for (Supplier<LabSuite> factory : LabSuites.all()) {
            try (LabSuite suite = factory.get()) {
                if (!suites.isEmpty() && !suites.contains(suite.name())) {
                    continue;
                }
                List<LabScenario> scenarios = suite.scenarios().stream()
                        .filter(s -> only.isEmpty() || only.contains(s.name())).toList();
                unknown.removeAll(suite.scenarios().stream().map(LabScenario::name).toList());
                if (list) {
                    out.println(suite.name() + ": " + suite.description());
                    suite.scenarios().forEach(s -> out.printf("  %-28s %s%n", s.name(), s.description()));
                    continue;
                }
                if (scenarios.isEmpty()) {
                    continue;
                }
                out.println("Starting " + suite.description() + "...");
                long started = System.nanoTime();
                out.printf("Running: %s (%.1fs)%n%n", suite.start(), (System.nanoTime() - started) / 1e9);
                int i = 0;
                for (LabScenario s : scenarios) {
                    i++;
                    suite.heal();
                    Report report = s.run().execute();
                    boolean ok = s.matches(report);
                    failures += ok ? 0 : 1;
                    total++;
                    String codes = report.findings().isEmpty() ? "no findings"
                            : report.findings().stream().map(Finding::code).distinct().collect(Collectors.joining(", "));
                    out.printf("[%s %2d/%d] %s: %s%n", suite.name(), i, scenarios.size(), s.name(), s.description());
                    out.printf("       %s %s  -> %s%n", report.status(), codes,
                            ok ? "as expected" : "EXPECTED " + (s.expectedCode() == null ? "OK" : s.expectedCode()));
                    if (verbose) {
                        writer.write(Outcome.of(List.of(report)), out);
                    }
                    out.println();
                }
                suite.heal();
            }
        }
        if (!unknown.isEmpty() || (!suites.isEmpty() && total == 0 && !list)) {
            throw new UsageException("no such lab suite or scenario: " + String.join(", ", unknown.isEmpty() ? suites : unknown)
                    + "; 'opsdoc lab --list' shows them");
        }
        if (!list) {
            out.printf("%d scenarios, %d as expected, %d not (%.1fs). 'opsdoc explain CHECK#CODE' explains any code.%n",
                    total, total - failures, failures, (System.nanoTime() - t0) / 1e9);
        }
        return failures == 0 ? 0 : 1;
    }
}
