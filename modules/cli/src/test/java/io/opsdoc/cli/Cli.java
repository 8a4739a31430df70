package io.opsdoc.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the CLI in-process with a given environment and captures what it prints. */
record Cli(int exit, String out, String err, long millis) {

    static Cli run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = Opsdoc.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        String head = printed.stripLeading();
        if (head.startsWith("{") && head.substring(0, Math.min(80, head.length())).matches("(?s)\\{\\s*\"schema\"\\s*:\\s*\"opsdoc\\.report/v1\".*")) {
            ReportSchema.assertValid(printed);  // every JSON report a CLI test produces meets docs/report.schema.json
        }
        return new Cli(code, printed, err.toString(StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1_000_000);
    }

    static Cli run(String... args) {
        return run(Map.of(), args);
    }

    String all() {
        return out + err;
    }

    /** No Java stack trace or exception class name reached the user. */
    boolean clean() {
        String a = all();
        return !a.contains("\tat ") && !a.contains("Exception") && !a.contains("java.");
    }
}
