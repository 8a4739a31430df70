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
import java.util.function.Supplier;

/**
 * What {@code opsdoc lab} does once the lab is known to be installed. Kept apart from {@link LabCommand} because its
 * methods name the lab's classes, which only {@code opsdoc lab} has on its class path (bin/opsdoc adds lab/ for it):
 * picocli reflects on every command class for help and completion, and must not meet them there.
 * Each lab starts once, each scenario ({@link ScenarioSets}, the same the tests run) breaks it, runs its checks and
 * says whether the promised codes came, with their evidence.
 */
final class LabSession {
    private final LabCommand cmd;
    private int total;
    private int failures;

    LabSession(LabCommand cmd) {
        this.cmd = cmd;
    }

    Integer run() throws Exception {
        PrintStream out = cmd.parent.out;
        TextReportWriter writer = new TextReportWriter(NoteCatalog.load(), OutputOptions.language(cmd.lang, cmd.parent.env), false);
        List<String> unknown = new ArrayList<>(cmd.only);
        List<String> unknownSuites = new ArrayList<>(cmd.suites);
        long t0 = System.nanoTime();
        int listed = 0;
        LabKeep kept = cmd.keep && !cmd.list ? new LabKeep(out) : null;
        for (Supplier<ScenarioSet<?>> factory : ScenarioSets.all()) {
            ScenarioSet<?> set = factory.get();
            unknown.removeAll(set.scenarios().stream().map(Scenario::id).toList());
            unknownSuites.remove(set.system());
            if (!cmd.suites.isEmpty() && !cmd.suites.contains(set.system())) {
                continue;
            }
            if (cmd.list) {
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
        if (cmd.list) {
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
        List<Scenario<L>> chosen = set.scenarios().stream().filter(s -> cmd.only.contains(s.id())).toList();
        if (!cmd.only.isEmpty() && chosen.isEmpty()) {
            return;
        }
        kept.start(set, chosen);
    }

    private <L extends Lab> void runSet(ScenarioSet<L> set, PrintStream out, TextReportWriter writer) {
        LabVariant<L> variant = set.variants().stream().filter(v -> v.unavailable().get() == null).findFirst()
                .orElse(null);
        if (variant == null) {
            if (set.scenarios().stream().anyMatch(s -> cmd.only.isEmpty() || cmd.only.contains(s.id()))) {
                out.printf("%s: skipped, no variant can run here: %s%n%n", set.system(),
                        set.variants().get(0).unavailable().get());
            }
            return;
        }
        List<Scenario<L>> scenarios = set.scenarios().stream().filter(s -> cmd.only.isEmpty() || cmd.only.contains(s.id()))
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
                if (cmd.verbose) {
                    writer.write(Outcome.of(r.reports()), out);
                }
                out.println();
            }
            lab.heal();
        } catch (Exception e) {
            // one lab that cannot start, heal or stop must not cost the other labs their run
            failures++;
            out.printf("%s: the lab failed: %s%n%n", set.system(), e);
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
