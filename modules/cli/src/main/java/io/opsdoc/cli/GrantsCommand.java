package io.opsdoc.cli;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.config.TargetConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "grants", description = {"Print the exact, least privileges checks need, per server flavour.",
        "With -c, the union for every check the config runs, per kind of target."})
final class GrantsCommand implements Runnable {
    @ParentCommand
    Opsdoc parent;

    @Parameters(arity = "0..*", paramLabel = "CHECK", description = "check ids")
    List<String> ids = new ArrayList<>();

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the checks a config file runs (opsdoc.yaml)")
    Path config;

    @Option(names = "--tag", paramLabel = "TAG", description = "with -c: only targets carrying this tag (repeatable)")
    List<String> tags = List.of();

    @Override
    public void run() {
        CheckRegistry registry = CheckRegistry.load();
        Set<Check<?>> checks = new LinkedHashSet<>();
        ids.forEach(id -> checks.add(registry.require(id)));
        if (config != null) {
            OpsdocConfig cfg = ConfigLoader.load(config, registry);
            for (TargetConfig t : cfg.targets().values()) {
                if (t.tags().containsAll(tags)) {
                    t.checks().keySet().forEach(id -> checks.add(registry.require(id)));
                }
            }
        }
        if (checks.isEmpty()) {
            throw new UsageException("name check ids, or a config file with -c");
        }
        Map<String, List<Check<?>>> byScheme = new LinkedHashMap<>();
        checks.forEach(c -> byScheme.computeIfAbsent(String.join(":// and ", c.targetSchemes()), k -> new ArrayList<>()).add(c));
        var out = parent.out;
        for (Map.Entry<String, List<Check<?>>> e : byScheme.entrySet()) {
            String comment = commentPrefix(e.getValue());
            out.println(comment + e.getKey() + ":// targets, for " + String.join(", ", e.getValue().stream().map(Check::id).toList())
                    + ": read-only; nothing else is needed.");
            // union per flavour: the statements of every check, each once, in first-seen order
            Map<String, Set<String>> statements = new LinkedHashMap<>();
            Map<String, List<String>> why = new LinkedHashMap<>();
            for (Check<?> c : e.getValue()) {
                for (GrantSet g : c.grants()) {
                    statements.computeIfAbsent(g.flavor(), k -> new LinkedHashSet<>()).addAll(g.statements());
                    why.computeIfAbsent(g.flavor(), k -> new ArrayList<>()).add(e.getValue().size() > 1 ? c.id() + ": " + g.comment() : g.comment());
                }
            }
            for (String flavor : statements.keySet()) {
                out.println(comment + flavor + ": " + String.join(" ", why.get(flavor)));
                statements.get(flavor).forEach(out::println);
            }
            out.println();
        }
    }

    /** SQL grants take "--" comments; YAML manifests (Kubernetes RBAC) take "#", so the output can be piped to kubectl apply. */
    private static String commentPrefix(Check<?> c) {
        boolean yaml = c.grants().stream().flatMap(g -> g.statements().stream())
                .anyMatch(s -> s.startsWith("---") || s.startsWith("apiVersion:"));
        return yaml ? "# " : "-- ";
    }

    /** SQL grants take "--" comments; YAML manifests (Kubernetes RBAC) take "#", so the output can be piped to kubectl apply. */
    private static String commentPrefix(List<Check<?>> checks) {
        boolean yaml = checks.stream().flatMap(c -> c.grants().stream()).flatMap(g -> g.statements().stream())
                .anyMatch(st -> st.startsWith("---") || st.startsWith("apiVersion:"));
        boolean none = checks.stream().flatMap(c -> c.grants().stream()).allMatch(g -> g.statements().isEmpty());
        return yaml || none ? "# " : "-- ";
    }
}
