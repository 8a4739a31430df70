package io.opsdoc.cli;

import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code opsdoc lab --keep}: start the labs, break them as the chosen scenarios do (one fault per lab: faults of the
 * same lab undo each other), print ready-to-paste {@code opsdoc check} lines against the real servers, and keep
 * everything up until Ctrl-C. Lab passwords are written to files, never printed.
 */
final class LabKeep {
    private final PrintStream out;
    private final Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    LabKeep(PrintStream out) {
        this.out = out;
        try {
            dir = Files.createTempDirectory("opsdoc-lab-keep-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the set's lab; with a scenario, induces its fault and leaves it in place. */
    <L extends Lab> void start(ScenarioSet<L> set, List<Scenario<L>> chosen) throws Exception {
        LabVariant<L> variant = set.variants().stream().filter(v -> v.unavailable().get() == null).findFirst()
                .orElse(null);
        if (variant == null) {
            out.printf("%s: not started, no variant can run here: %s%n", set.system(),
                    set.variants().get(0).unavailable().get());
            return;
        }
        out.println("Starting " + set.description() + "...");
        L lab = variant.start().get();
        open.add(lab);
        out.println(set.system() + ": " + lab.where());
        if (chosen.size() > 1) {
            out.println("  (one fault per lab at a time: keeping only " + chosen.get(0).id() + ")");
        }
        List<Scenario<L>> shown = chosen.isEmpty() ? healthyOnes(set) : List.of(chosen.get(0));
        for (Scenario<L> s : shown) {
            if (!chosen.isEmpty()) {
                AutoCloseable held = s.fault().induce(lab);
                if (held != null) {
                    open.add(0, held);
                }
                out.println("  broken as in " + s.id() + ": " + s.story());
            }
            for (String check : s.checks()) {
                out.println("  " + commandLine(s, lab, check));
            }
        }
        out.println();
    }

    private static <L extends Lab> List<Scenario<L>> healthyOnes(ScenarioSet<L> set) {
        return set.scenarios().stream().filter(Scenario::healthy).filter(s -> s.expected().isEmpty()).toList();
    }

    private <L extends Lab> String commandLine(Scenario<L> s, L lab, String check) {
        StringBuilder b = new StringBuilder("opsdoc check ").append(check).append(" '").append(s.target().apply(lab))
                .append('\'');
        for (Map.Entry<String, java.util.function.Function<L, String>> p : s.params().entrySet()) {
            b.append(" --set ").append(p.getKey()).append('=').append(p.getValue().apply(lab));
        }
        String password = s.password().apply(lab);
        if (password != null) {
            b.append(" --password-file ").append(passwordFile(s.id(), password));
        }
        return b.toString();
    }

    private Path passwordFile(String name, String password) {
        try {
            Path f = dir.resolve(name + ".pw");
            Files.writeString(f, password);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blocks until Ctrl-C (or the JVM ends), then stops every lab. */
    void awaitInterrupt() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the labs...");
            close();
            stopped.countDown();
        }, "opsdoc-lab-keep-stop"));
        out.println("The servers stay up with their faults. Press Ctrl-C to stop them.");
        out.flush();
        stopped.await();
    }

    void close() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                out.println("could not stop " + c + ": " + e.getMessage());
            }
        }
        open.clear();
        io.opsdoc.lab.support.LabFiles.deleteRecursively(dir);
    }
}
