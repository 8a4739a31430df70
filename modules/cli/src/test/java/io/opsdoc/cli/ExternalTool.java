package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A validator installed on the machine (promtool, amtool, kubectl). Tests that need one skip only on a developer
 * machine without it; under {@code CI=true} a missing tool fails the test, so CI never passes by skipping.
 */
record ExternalTool(Path path) {

    record Result(int exit, String output) {
    }

    static ExternalTool require(String name) {
        Path found = find(name);
        if (found == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(name + " is not installed, and CI=true forbids skipping this test ("
                        + (name.equals("sarif-multitool") ? "npm install -g @microsoft/sarif-multitool, as .ci/install-peers does"
                        : "Debian: apt-get install " + (name.equals("amtool") ? "prometheus-alertmanager"
                        : name.equals("promtool") ? "prometheus" : name)) + ")");
            }
            Assumptions.assumeTrue(false, name + " is not installed; skipped (this fails under CI=true)");
        }
        return new ExternalTool(found);
    }

    static Path find(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        dirs.add("/usr/local/bin");
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs the tool with {@code input} on its standard input (promtool check metrics reads the exposition there). */
    Result runWithInput(String input, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(path.toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
