package io.opsdoc.cli;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.gate.Baseline;
import io.opsdoc.core.gate.FailOn;
import io.opsdoc.core.gate.Gate;
import io.opsdoc.core.gate.Outcome;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "gate", description = "Run every check of a config file on its targets, in parallel: a health gate for CI, cron and Nagios.",
        footer = {"", "Exit: Nagios codes (0/1/2/3) by default; with --fail-on, 1 when the gate fails and 0 when it passes.",
                "  --fail-on warning   WARNING, UNKNOWN or CRITICAL fails", "  --fail-on unknown   UNKNOWN or CRITICAL fails",
                "  --fail-on critical  only CRITICAL fails", "  --fail-on new       a WARNING-or-worse finding not in --baseline fails",
                "Waived findings never fail. 64: usage or config error (file:line:column: key: problem)."})
final class GateCommand implements Callable<Integer> {
    @ParentCommand
    Opsdoc parent;

    // not required=true: picocli would reject a missing -c before the search path (EnvironmentDefaults) is consulted
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "the config file (default: OPSDOC_CONFIG, else ./opsdoc.yaml, $XDG_CONFIG_HOME/opsdoc/opsdoc.yaml, /etc/opsdoc/opsdoc.yaml)")
    Path config;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION",
            description = "deadline of each check run, instead of the config's defaults.timeout (a target's own timeout still wins)")
    String timeout;

    @Option(names = "--tag", paramLabel = "TAG", description = "only targets carrying this tag (repeatable: all must match)")
    List<String> tags = List.of();

    @Option(names = "--fail-on", paramLabel = "LEVEL", description = "warning, unknown, critical or new (see below)")
    String failOn;

    @Option(names = "--baseline", paramLabel = "FILE", description = "an earlier --format json report: classify findings as new, persisting or resolved")
    Path baseline;

    @Mixin
    OutputOptions output;

    @Mixin
    ReportFiles files;

    @Override
    public Integer call() {
        if (config == null) {
            throw new UsageException("no config file: pass -c FILE, set OPSDOC_CONFIG, or put one at ./opsdoc.yaml, "
                    + "$XDG_CONFIG_HOME/opsdoc/opsdoc.yaml or /etc/opsdoc/opsdoc.yaml (example: docs/examples/opsdoc.yaml)");
        }
        FailOn policy = FailOn.parse(failOn);
        output.writer(parent.env);  // a bad --format fails before any check runs
        files.validate(output, parent.env);
        CheckRegistry registry = CheckRegistry.load();
        OpsdocConfig cfg = ConfigLoader.load(config, registry);
        if (timeout != null) {
            // -t is what a Nagios/Icinga service definition sets: it replaces the file's default, not per-target choices
            cfg = new OpsdocConfig(cfg.source(), CheckCommand.deadline(timeout), cfg.concurrency(), cfg.perTarget(), cfg.targets(),
                    cfg.waivers(), cfg.alerts(), cfg.forward(), cfg.warnings());
        }
        output.locateTargetsIn(config, cfg.targets().keySet());
        var writer = output.writer(parent.env);
        cfg.warnings().forEach(w -> parent.err.println("opsdoc: warning: " + w));
        Baseline base = baseline == null ? null : Baseline.read(baseline);
        Set<String> selected = new LinkedHashSet<>(tags);
        Outcome outcome = Gate.run(cfg, registry, selected, parent.env, base, LocalDate.now(),
                TerminalProgress.forStream(parent.err, parent.env, output.quiet));
        writer.write(outcome, parent.out);
        files.write(outcome, output, parent.env);
        return policy.exitCode(outcome);
    }
}
