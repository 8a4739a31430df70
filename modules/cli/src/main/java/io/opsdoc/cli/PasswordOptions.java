package io.opsdoc.cli;

import io.opsdoc.core.Secret;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the target's password comes from. Never the command line itself: argv is visible to every user of the
 * machine. Order: --password-file, --password-env, OPSDOC_PASSWORD, and last a password in the URI (with a warning).
 */
final class PasswordOptions {
    static final String DEFAULT_VARIABLE = "OPSDOC_PASSWORD";

    @Option(names = "--password-env", paramLabel = "VAR", description = "read the password from this environment variable")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "read the password from this file (first line; keep it mode 0600)")
    Path passwordFile;

    Optional<Secret> resolve(Target target, Map<String, String> env, PrintStream err) {
        if (passwordFile != null) {
            try {
                String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                String first = (nl >= 0 ? text.substring(0, nl) : text).replace("\r", "");
                return Optional.of(Secret.of(first, "file " + passwordFile));
            } catch (IOException e) {
                throw io.opsdoc.core.InputFiles.unreadable("--password-file", passwordFile, e);
            }
        }
        if (passwordEnv != null) {
            String v = env.get(passwordEnv);
            if (v == null) {
                throw new UsageException("--password-env " + passwordEnv + ": that environment variable is not set");
            }
            return Optional.of(Secret.of(v, "environment variable " + passwordEnv));
        }
        String v = env.get(DEFAULT_VARIABLE);
        if (v != null) {
            return Optional.of(Secret.of(v, "environment variable " + DEFAULT_VARIABLE));
        }
        if (target.passwordInUri()) {
            err.println("opsdoc: warning: the target URI carries a password, which other users can see in the process "
                    + "list; use --password-env or --password-file");
            return target.uriPassword();
        }
        return Optional.empty();
    }
}
