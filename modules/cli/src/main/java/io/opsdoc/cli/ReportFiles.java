package io.opsdoc.cli;

import io.opsdoc.core.UsageException;
import io.opsdoc.core.gate.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Extra report files next to the terminal output: {@code --report junit=out.xml --report sarif=...}. */
final class ReportFiles {
    @Option(names = "--report", paramLabel = "FORMAT=FILE",
            description = "also write a report file in this format (repeatable): json, junit, sarif, markdown, nagios, prometheus, text")
    Map<String, Path> reports = new LinkedHashMap<>();

    @Option(names = "--junit", paramLabel = "FILE", description = "same as --report junit=FILE")
    Path junit;

    private Map<String, Path> all() {
        Map<String, Path> all = new LinkedHashMap<>(reports);
        if (junit != null) {
            all.put("junit", junit);
        }
        return all;
    }

    /** Unknown formats are usage errors before anything runs, not after a long gate. */
    void validate(OutputOptions output, Map<String, String> env) {
        all().keySet().forEach(f -> output.writer(f, env, false));
    }

    void write(Outcome outcome, OutputOptions output, Map<String, String> env) {
        for (Map.Entry<String, Path> e : all().entrySet()) {
            Path file = e.getValue();
            try {
                if (file.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                }
                try (PrintStream ps = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
                    output.writer(e.getKey(), env, false).write(outcome, ps);
                }
            } catch (IOException ex) {
                throw new UsageException("cannot write the " + e.getKey() + " report to " + file + ": " + ex.getClass().getSimpleName());
            }
        }
    }
}
