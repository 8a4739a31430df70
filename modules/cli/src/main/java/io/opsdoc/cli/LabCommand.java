package io.opsdoc.cli;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.core.report.TextReportWriter;
import io.opsdoc.lab.MariaDbReplicationLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "lab", description = {"Start a real MariaDB primary and replica on loopback, break them one way after "
        + "another, and show what mysql-replication finds each time.", "Needs nothing installed: the MariaDB binaries come from Maven Central."})
final class LabCommand implements Callable<Integer> {
    @ParentCommand
    Opsdoc parent;

    @Option(names = "--scenario", paramLabel = "NAME", description = "run only these scenarios (repeatable); see --list")
    List<String> only = new ArrayList<>();

    @Option(names = "--list", description = "list the scenarios and exit")
    boolean list;

    @Option(names = {"-v", "--verbose"}, description = "print the full report for every scenario")
    boolean verbose;

    @Option(names = "--lang", paramLabel = "LANG", description = "en or zh, for the runbook text in --verbose")
    String lang;

    @Override
    public Integer call() {
        List<LabScenario> scenarios = selected();
        var out = parent.out;
        if (list) {
            scenarios.forEach(s -> out.println(String.format("%-28s %s", s.name(), s.description())));
            return 0;
        }
        Check<?> check = CheckRegistry.load().require("mysql-replication");
        TextReportWriter writer = new TextReportWriter(NoteCatalog.load(), OutputOptions.language(lang, parent.env), false);
        out.println("Starting a MariaDB primary and replica on 127.0.0.1 (the first run unpacks the server, ~20 s)...");
        long t0 = System.nanoTime();
        int failures = 0;
        try (MariaDbReplicationLab lab = MariaDbReplicationLab.start()) {
            out.printf("Replication running: primary %s:%d, replica %s:%d (%.1fs)%n%n", lab.host(), lab.primaryPort(),
                    lab.host(), lab.replicaPort(), (System.nanoTime() - t0) / 1e9);
            Runner runner = new Runner();
            int i = 0;
            for (LabScenario s : scenarios) {
                i++;
                lab.heal();
                Report report;
                try (AutoCloseable undo = s.induce().apply(lab)) {
                    report = runOne(runner, check, lab, s);
                }
                boolean ok = matches(s, report);
                failures += ok ? 0 : 1;
                String codes = report.findings().isEmpty() ? "no findings"
                        : report.findings().stream().map(Finding::code).distinct().collect(Collectors.joining(", "));
                out.printf("[%2d/%d] %s: %s%n", i, scenarios.size(), s.name(), s.description());
                out.printf("       %s %s  -> %s%n", report.status(), codes,
                        ok ? "as expected" : "EXPECTED " + (s.expectedCode() == null ? "OK" : s.expectedCode()));
                if (verbose) {
                    writer.write(List.of(report), out);
                }
                out.println();
            }
            lab.heal();
        } catch (Exception e) {
            throw new IllegalStateException("lab failed: " + e.getMessage(), e);
        }
        out.printf("%d scenarios, %d as expected, %d not (%.1fs). 'opsdoc explain mysql-replication#CODE' explains any code.%n",
                scenarios.size(), scenarios.size() - failures, failures, (System.nanoTime() - t0) / 1e9);
        return failures == 0 ? 0 : 1;
    }

    private List<LabScenario> selected() {
        List<LabScenario> all = LabScenario.all();
        if (only.isEmpty()) {
            return all;
        }
        List<LabScenario> picked = new ArrayList<>();
        for (String name : only) {
            picked.add(all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                    new UsageException("no lab scenario '" + name + "'; 'opsdoc lab --list' shows them")));
        }
        return picked;
    }

    private static Report runOne(Runner runner, Check<?> check, MariaDbReplicationLab lab, LabScenario s) {
        String user = s.user() == LabScenario.User.NO_PRIVILEGE ? lab.noPrivilegeUser() : lab.monitorUser();
        String password = switch (s.user()) {
            case MONITOR -> lab.monitorPassword();
            case NO_PRIVILEGE -> lab.noPrivilegePassword();
            case WRONG_PASSWORD -> "not-the-password";
        };
        Target target = Target.parse("mysql://" + user + "@" + lab.host() + ":" + lab.replicaPort());
        Parameters params = Parameters.resolve(check.id(), check.parameters(), Map.of());
        return runner.run(check, target, params, Optional.of(Secret.of(password, "the lab")), Duration.ofSeconds(10)).report();
    }

    private static boolean matches(LabScenario s, Report r) {
        if (s.expectedCode() == null) {
            return r.status() == Severity.OK;
        }
        return r.findings().stream().anyMatch(f -> f.code().equals(s.expectedCode()));
    }
}
