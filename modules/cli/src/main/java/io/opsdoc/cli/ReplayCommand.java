package io.opsdoc.cli;

import io.opsdoc.core.Capture;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Report;
import io.opsdoc.core.gate.Outcome;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "replay", description = "Re-evaluate facts saved with 'opsdoc check --capture', offline.")
final class ReplayCommand implements Callable<Integer> {
    @ParentCommand
    Opsdoc parent;

    @Parameters(index = "0", paramLabel = "FILE", description = "a capture written by --capture")
    Path file;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "re-evaluate with another parameter value (what-if)")
    Map<String, String> set = new LinkedHashMap<>();

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        List<Report> reports = Capture.read(file).replay(CheckRegistry.load(), set);
        Outcome outcome = Outcome.of(reports);
        output.writer(parent.env).write(outcome, parent.out);
        return outcome.status().exitCode();
    }
}
