package io.opsdoc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults that come from the environment rather than the command line, in picocli's one place for them, so
 * {@code --help} shows the value that will really be used.
 *
 * <ul>
 *   <li>{@code --timeout} of {@code check}: {@code OPSDOC_TIMEOUT}</li>
 *   <li>{@code --config} of {@code gate} and {@code serve}: {@code OPSDOC_CONFIG}, else the first of
 *   {@code ./opsdoc.yaml}, {@code $XDG_CONFIG_HOME/opsdoc/opsdoc.yaml} ({@code ~/.config} when unset) and
 *   {@code /etc/opsdoc/opsdoc.yaml} that exists. Other commands read a config only when asked to: {@code rules lint}
 *   and {@code grants} change meaning with one, so a file lying in the current directory must not switch it on.</li>
 * </ul>
 * An explicit option always wins; an empty variable counts as unset.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    static final Set<String> CONFIG_SEARCHING = Set.of("gate", "serve");

    private final Map<String, String> env;

    EnvironmentDefaults(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String command = arg.command() == null ? "" : arg.command().name();
        return switch (option.longestName()) {
            // not for gate: there the config file's defaults.timeout is the more specific choice
            case "--timeout" -> command.equals("check") ? nonEmpty(env.get("OPSDOC_TIMEOUT")) : null;
            case "--config" -> CONFIG_SEARCHING.contains(command) ? configFile() : null;
            default -> null;
        };
    }

    /** The config a gate or serve without -c uses, or null when there is none. */
    String configFile() {
        String explicit = nonEmpty(env.get("OPSDOC_CONFIG"));
        if (explicit != null) {
            return explicit;
        }
        for (Path p : searchPath()) {
            if (Files.isRegularFile(p)) {
                return p.toString();
            }
        }
        return null;
    }

    List<Path> searchPath() {
        List<Path> paths = new ArrayList<>();
        paths.add(Path.of("opsdoc.yaml"));
        String xdg = nonEmpty(env.get("XDG_CONFIG_HOME"));
        String home = nonEmpty(env.get("HOME"));
        if (xdg != null) {
            paths.add(Path.of(xdg, "opsdoc", "opsdoc.yaml"));
        } else if (home != null) {
            paths.add(Path.of(home, ".config", "opsdoc", "opsdoc.yaml"));
        }
        paths.add(Path.of("/etc/opsdoc/opsdoc.yaml"));
        return paths;
    }

    private static String nonEmpty(String v) {
        return v == null || v.isEmpty() ? null : v;
    }
}
