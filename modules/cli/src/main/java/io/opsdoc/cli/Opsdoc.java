package io.opsdoc.cli;

import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.OpsdocVersion;
import io.opsdoc.core.UsageException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code opsdoc} command. Exit codes: Nagios 0/1/2/3 for results, 64 for usage errors. */
@Command(name = "opsdoc", mixinStandardHelpOptions = true, versionProvider = Opsdoc.Version.class,
        description = "Runnable diagnostics for operations engineers: each finding links to the runbook note that explains it.",
        footer = {"", "Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios plugin convention), 64 usage error."})
public final class Opsdoc implements Runnable {
    public static final int EXIT_USAGE = 64;

    /**
     * The subcommands, added to the parser on demand: picocli reflects over every registered command's annotations
     * before parsing, which was a third of a check's start-up. A run names one subcommand; help and errors get all.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("check", CheckCommand::new);
        SUBCOMMANDS.put("gate", GateCommand::new);
        SUBCOMMANDS.put("list", ListCommand::new);
        SUBCOMMANDS.put("explain", ExplainCommand::new);
        SUBCOMMANDS.put("grants", GrantsCommand::new);
        SUBCOMMANDS.put("replay", ReplayCommand::new);
        SUBCOMMANDS.put("serve", ServeCommand::new);
        SUBCOMMANDS.put("rules", RulesCommand::new);
        SUBCOMMANDS.put("lab", LabCommand::new);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Opsdoc(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Every command answers --help, as its error messages promise, whether or not its class declared the option. */
    private static void withHelpOption(CommandLine c) {
        CommandLine.Model.CommandSpec spec = c.getCommandSpec();
        if (!(c.getCommand() instanceof CommandLine.HelpCommand)
                && spec.options().stream().noneMatch(CommandLine.Model.OptionSpec::usageHelp)) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        c.getSubcommands().values().forEach(Opsdoc::withHelpOption);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command line; the seam tests use to run the CLI in-process with their own environment. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cmd = new CommandLine(new Opsdoc(env, out, err));
        String named = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        if (named != null && SUBCOMMANDS.containsKey(named) && !named.equals("help")) {
            cmd.addSubcommand(named, SUBCOMMANDS.get(named).get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cmd.addSubcommand(name, command.get()));
        }
        cmd.getSubcommands().values().forEach(Opsdoc::withHelpOption);
        cmd.setOut(new java.io.PrintWriter(out, true));
        cmd.setErr(new java.io.PrintWriter(err, true));
        cmd.setParameterExceptionHandler((ex, a) -> {
            err.println("opsdoc: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof UsageException) {
                err.println("opsdoc: " + ex.getMessage());
                err.println("Run '" + line.getCommandSpec().qualifiedName() + " --help' for usage.");
                return EXIT_USAGE;
            }
            err.println("opsdoc: internal error: " + FailureClassifier.oneLine(ex) + " (set OPSDOC_DEBUG=1 for details)");
            if (env.containsKey("OPSDOC_DEBUG")) {
                ex.printStackTrace(err);
            }
            return 3;
        });
        return cmd.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"opsdoc " + OpsdocVersion.get(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
