package io.opsdoc.lab.scenario;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a scenario the way {@code opsdoc check} would: heal, induce the fault, run each check by id with its
 * parameters and a hard deadline, release what the fault holds, and compare with the promise.
 */
public final class ScenarioRunner {
    private final CheckRegistry registry;
    private final Runner runner;

    public ScenarioRunner() {
        this(CheckRegistry.load(), new Runner());
    }

    public ScenarioRunner(CheckRegistry registry, Runner runner) {
        this.registry = registry;
        this.runner = runner;
    }

    public <L extends Lab> ScenarioResult run(Scenario<L> scenario, L lab) throws Exception {
        lab.heal();
        long t0 = System.nanoTime();
        List<Report> reports = new ArrayList<>();
        try (AutoCloseable held = scenario.fault().induce(lab)) {
            String target = scenario.target().apply(lab);
            Optional<Secret> password = Optional.ofNullable(scenario.password().apply(lab))
                    .map(p -> Secret.of(p, "the lab"));
            Map<String, String> params = new LinkedHashMap<>();
            scenario.params().forEach((k, v) -> params.put(k, v.apply(lab)));
            for (String id : scenario.checks()) {
                Check<?> check = registry.require(id);
                // a scenario running several checks passes each the parameters it declares (the coverage test
                // makes sure every name belongs to one of them)
                Map<String, String> own = new LinkedHashMap<>();
                params.forEach((k, v) -> {
                    if (check.parameters().stream().anyMatch(p -> p.name().equals(k))) {
                        own.put(k, v);
                    }
                });
                reports.add(runner.run(check, Target.parse(target), Parameters.resolve(check.id(), check.parameters(),
                        own), password, scenario.timeout()).report());
            }
        }
        return new ScenarioResult(scenario, reports, scenario.problems(reports), (System.nanoTime() - t0) / 1e9);
    }
}
