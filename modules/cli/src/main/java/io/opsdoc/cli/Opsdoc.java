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
        SUBCOMMANDS.put("generate-completion", picocli.AutoComplete.GenerateCompletion::new);
        SUBCOMMANDS.put("gen-manpage", picocli.codegen.docgen.manpage.ManPageGenerator::new);
    }

    /** Commands that describe the whole command tree, so they need every subcommand registered. */
    private static final java.util.Set<String> WHOLE_TREE = java.util.Set.of("help", "generate-completion", "gen-manpage");

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

    /**
     * Every command answers --help, as its error messages promise, and -V/--version, as the Nagios plugin guidelines
     * reserve it (so {@code opsdoc check -V} works where a plugin is expected), whether or not its class declared them.
     */
    private static void withStandardOptions(CommandLine c) {
        CommandLine.Model.CommandSpec spec = c.getCommandSpec();
        if (!(c.getCommand() instanceof CommandLine.HelpCommand)
                && spec.options().stream().noneMatch(CommandLine.Model.OptionSpec::usageHelp)) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        if (!(c.getCommand() instanceof CommandLine.HelpCommand)
                && spec.options().stream().noneMatch(CommandLine.Model.OptionSpec::versionHelp)
                && spec.findOption("-V") == null && spec.findOption("--version") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-V", "--version").versionHelp(true)
                    .description("Print version information and exit.").build());
        }
        spec.versionProvider(new Version());
        c.getSubcommands().values().forEach(Opsdoc::withStandardOptions);
    }

    public static void main(String[] args) {
        CommonPool.atLeastTwoWorkers();
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command line; the seam tests use to run the CLI in-process with their own environment. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cmd = new CommandLine(new Opsdoc(env, out, err));
        String named = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        if (named != null && SUBCOMMANDS.containsKey(named) && !WHOLE_TREE.contains(named)) {
            cmd.addSubcommand(named, SUBCOMMANDS.get(named).get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cmd.addSubcommand(name, command.get()));
        }
        cmd.getSubcommands().values().forEach(Opsdoc::withStandardOptions);
        CommandLine gen = cmd.getSubcommands().get("gen-manpage");
        if (gen != null) {
            gen.getCommandSpec().usageMessage().hidden(true);  // a build step, not something users need listed
        }
        // after the subcommands are added: picocli copies the provider into the hierarchy as it is at this call
        cmd.setDefaultValueProvider(new EnvironmentDefaults(env));
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
