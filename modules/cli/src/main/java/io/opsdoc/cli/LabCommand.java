package io.opsdoc.cli;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.gate.Outcome;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.core.report.TextReportWriter;
import io.opsdoc.lab.scenario.Expect;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioResult;
import io.opsdoc.lab.scenario.ScenarioRunner;
import io.opsdoc.lab.scenario.ScenarioSet;
import io.opsdoc.lab.scenario.ScenarioSets;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code opsdoc lab}: the scenarios the tests run ({@link ScenarioSets}), shown to a person: each lab starts once,
 * each scenario breaks it, runs its checks and says whether the promised codes came, with their evidence.
 */
@Command(name = "lab", description = {"Start real servers on loopback, break them one way after another, and show "
        + "what the checks find each time.", "Needs nothing installed: the servers come from Maven Central."})
final class LabCommand implements Callable<Integer> {
    @ParentCommand
    Opsdoc parent;

    @Option(names = "--suite", paramLabel = "NAME", description = "run only these systems' scenarios (repeatable), e.g. mysql")
    List<String> suites = new ArrayList<>();

    @Option(names = "--scenario", paramLabel = "NAME", description = "run only these scenarios (repeatable); see --list")
    List<String> only = new ArrayList<>();

    @Option(names = "--list", description = "list the systems and their scenarios, with counts, and exit")
    boolean list;

    @Option(names = "--keep", description = "start the labs, break each as the given --scenario does (one per lab), "
            + "print opsdoc check lines for their real servers, and keep them up until Ctrl-C")
    boolean keep;

    @Option(names = {"-v", "--verbose"}, description = "print the full report for every scenario")
    boolean verbose;

    @Option(names = "--lang", paramLabel = "LANG", description = "en or zh, for the runbook text in --verbose")
    String lang;

    private int total;
    private int failures;

    @Override
    public Integer call() throws Exception {
        try {
            Class.forName("io.opsdoc.lab.scenario.ScenarioSets", false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new UsageException("the lab is not part of this installation (the distribution's lab/ directory is missing)");
        }
        PrintStream out = parent.out;
        TextReportWriter writer = new TextReportWriter(NoteCatalog.load(), OutputOptions.language(lang, parent.env), false);
        List<String> unknown = new ArrayList<>(only);
        List<String> unknownSuites = new ArrayList<>(suites);
        long t0 = System.nanoTime();
        int listed = 0;
        LabKeep kept = keep && !list ? new LabKeep(out) : null;
        for (Supplier<ScenarioSet<?>> factory : ScenarioSets.all()) {
            ScenarioSet<?> set = factory.get();
            unknown.removeAll(set.scenarios().stream().map(Scenario::id).toList());
            unknownSuites.remove(set.system());
            if (!suites.isEmpty() && !suites.contains(set.system())) {
                continue;
            }
            if (list) {
                out.printf("%s (%d scenarios): %s%n", set.system(), set.scenarios().size(), set.description());
                set.scenarios().forEach(s -> out.printf("  %-32s %s%n", s.id(), s.story()));
                listed += set.scenarios().size();
                continue;
            }
            if (kept != null) {
                keepSet(set, kept);
            } else {
                runSet(set, out, writer);
            }
        }
        if (!unknown.isEmpty() || !unknownSuites.isEmpty()) {
            List<String> names = new ArrayList<>(unknownSuites);
            names.addAll(unknown);
            throw new UsageException("no such lab suite or scenario: " + String.join(", ", names)
                    + "; 'opsdoc lab --list' shows them");
        }
        if (list) {
            out.printf("%d scenarios%n", listed);
            return 0;
        }
        if (kept != null) {
            kept.awaitInterrupt();
            return 0;
        }
        out.printf("%d scenarios, %d as expected, %d not (%.1fs). 'opsdoc explain CHECK#CODE' explains any code.%n",
                total, total - failures, failures, (System.nanoTime() - t0) / 1e9);
        return failures == 0 ? 0 : 1;
    }

    private <L extends Lab> void keepSet(ScenarioSet<L> set, LabKeep kept) throws Exception {
        List<Scenario<L>> chosen = set.scenarios().stream().filter(s -> only.contains(s.id())).toList();
        if (!only.isEmpty() && chosen.isEmpty()) {
            return;
        }
        kept.start(set, chosen);
    }

    private <L extends Lab> void runSet(ScenarioSet<L> set, PrintStream out, TextReportWriter writer) {
        LabVariant<L> variant = set.variants().stream().filter(v -> v.unavailable().get() == null).findFirst()
                .orElse(null);
        if (variant == null) {
            if (set.scenarios().stream().anyMatch(s -> only.isEmpty() || only.contains(s.id()))) {
                out.printf("%s: skipped, no variant can run here: %s%n%n", set.system(),
                        set.variants().get(0).unavailable().get());
            }
            return;
        }
        List<Scenario<L>> scenarios = set.scenarios().stream().filter(s -> only.isEmpty() || only.contains(s.id()))
                .filter(s -> s.runsOn(variant.name())).toList();
        if (scenarios.isEmpty()) {
            return;
        }
        out.println("Starting " + set.description() + "...");
        long started = System.nanoTime();
        ScenarioRunner runner = new ScenarioRunner();
        try (L lab = variant.start().get()) {
            out.printf("Running: %s (%.1fs)%n%n", lab.where(), (System.nanoTime() - started) / 1e9);
            int i = 0;
            for (Scenario<L> s : scenarios) {
                i++;
                total++;
                out.printf("[%s %2d/%d] %s: %s%n", set.system(), i, scenarios.size(), s.id(), s.story());
                ScenarioResult r;
                try {
                    r = runner.run(s, lab);
                } catch (Exception e) {
                    failures++;
                    out.printf("       the lab could not induce the fault: %s%n%n", e);
                    continue;
                }
                failures += r.held() ? 0 : 1;
                out.printf("       %s %s  -> %s%n", Report.worst(r.reports()), r.codes(),
                        r.held() ? "as expected" : "NOT AS EXPECTED: " + String.join("; ", r.problems()));
                printEvidence(s, r, out);
                if (verbose) {
                    writer.write(Outcome.of(r.reports()), out);
                }
                out.println();
            }
            lab.heal();
        }
    }

    /** For each promised code: what the finding said, the evidence that decided it, and where the note explains it. */
    private static void printEvidence(Scenario<?> s, ScenarioResult r, PrintStream out) {
        for (Expect e : s.expected()) {
            r.reports().stream().flatMap(rep -> rep.findings().stream()).filter(f -> f.code().equals(e.code()))
                    .findFirst().ifPresent(f -> out.printf("       %s: %s%n         evidence %s%n         note     %s%n",
                            f.code(), f.summary(), f.evidence(), noteOf(f)));
        }
    }

    private static String noteOf(Finding f) {
        return f.note() == null ? "-" : f.note() + "  (opsdoc explain " + f.check() + "#" + f.code() + ")";
    }
}
