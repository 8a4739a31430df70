package io.opsdoc.cli;

import io.opsdoc.core.Capture;
import io.opsdoc.core.Check;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Run;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.gate.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "check", description = "Run one or more checks against a target and explain what they find.",
        footer = {"", "Example:", "  MYSQL_PWD=... opsdoc check mysql-replication mysql://monitor@db1:3306 --password-env MYSQL_PWD"})
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    Opsdoc parent;

    @picocli.CommandLine.Parameters(arity = "2..*", paramLabel = "CHECK... TARGET",
            description = "check ids (see 'opsdoc list'), then the target URI, e.g. mysql://monitor@db1:3306")
    List<String> words;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "set a check parameter, e.g. --set lag-warning=60s")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "10s",
            description = "hard deadline per check, connect and reads included (default ${DEFAULT-VALUE}; env OPSDOC_TIMEOUT)")
    String timeout;

    @Option(names = "--capture", paramLabel = "FILE", description = "also save the raw facts to FILE, for 'opsdoc replay'")
    Path capture;

    @Mixin
    PasswordOptions password;

    @Mixin
    OutputOptions output;

    @Mixin
    ReportFiles files;

    @Override
    public Integer call() throws IOException {
        CheckRegistry registry = CheckRegistry.load();
        List<Check<?>> checks = new ArrayList<>();
        for (String id : words.subList(0, words.size() - 1)) {
            checks.add(registry.require(id));
        }
        Target target = Target.parse(words.get(words.size() - 1));
        Duration deadline = deadline(timeout);
        Map<String, Parameters> params = new LinkedHashMap<>();
        for (Check<?> c : checks) {
            Runner.requireScheme(c, target);
            params.put(c.id(), Parameters.resolve(c.id(), c.parameters(), Parameters.applicable(c.parameters(), set)));
            c.validate(target, params.get(c.id()));
        }
        rejectUnusedSettings(checks);
        var writer = output.writer(parent.env);
        files.validate(output, parent.env);
        Optional<Secret> secret = password.resolve(target, parent.env, parent.err);
        List<Run> runs = new ArrayList<>();
        // several checks on one target share its client (one SSH session for all host checks of this run)
        try (ClientPool clients = ClientPool.keeping(1, Duration.ofMinutes(10))) {
            Runner runner = new Runner(clients);
            for (Check<?> c : checks) {
                runs.add(runner.run(c, target, params.get(c.id()), secret, deadline));
            }
        }
        if (capture != null) {
            Capture.of(runs).write(capture);
        }
        Outcome outcome = Outcome.of(runs.stream().map(Run::report).toList());
        writer.write(outcome, parent.out);
        files.write(outcome, output, parent.env);
        return outcome.status().exitCode();
    }

    static Duration deadline(String text) {
        Duration d;
        try {
            d = (Duration) ParameterType.DURATION.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--timeout: " + e.getMessage());
        }
        if (d.isZero() || d.isNegative()) {
            throw new UsageException("--timeout must be more than 0");
        }
        return d;
    }

    /** A --set that no selected check understands is a typo, not something to ignore. */
    private void rejectUnusedSettings(List<Check<?>> checks) {
        for (String name : set.keySet()) {
            boolean used = checks.stream().anyMatch(c -> c.parameters().stream().anyMatch(p -> p.name().equals(name)));
            if (!used) {
                Check<?> first = checks.get(0);
                Parameters.resolve(first.id(), first.parameters(), Map.of(name, set.get(name)));
            }
        }
    }
}
