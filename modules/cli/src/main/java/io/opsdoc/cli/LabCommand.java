package io.opsdoc.cli;

import io.opsdoc.core.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code opsdoc lab}: the scenarios the tests run, shown to a person ({@link LabSession}). This class holds only the
 * options: no method or field of it names a lab class, because the lab is on the class path of {@code opsdoc lab}
 * alone and picocli reflects on every command for help and completion.
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

    @Override
    public Integer call() throws Exception {
        try {
            Class.forName("io.opsdoc.lab.scenario.ScenarioSets", false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new UsageException("the lab is not part of this installation (the distribution's lab/ directory is missing)");
        }
        return new LabSession(this).run();
    }
}
