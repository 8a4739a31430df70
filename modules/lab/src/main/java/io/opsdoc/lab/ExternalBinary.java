package io.opsdoc.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A peer program the lab runs from the machine's packages (Debian's prometheus, prometheus-alertmanager, chromium).
 * {@code .ci/install-peers} installs them for CI; on a developer machine without them the tests that need one skip
 * with a message saying which package to install. Under {@code CI=true} a missing one is an error: a green CI run
 * must mean the peers really ran.
 */
public final class ExternalBinary {
    private ExternalBinary() {
    }

    public static Optional<Path> find(String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** True when tests must not skip for a missing peer. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Why a test skips, or throws when it may not. */
    public static String missing(String debianPackage, String binary) {
        String why = binary + " is not installed (Debian package " + debianPackage + "; .ci/install-peers installs it)";
        if (inCi()) {
            throw new IllegalStateException("CI=true and " + why);
        }
        return why;
    }
}
