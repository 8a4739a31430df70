package io.opsdoc.cli;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.GrantSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "grants", description = "Print the exact, least privileges the checks need, per server flavour.")
final class GrantsCommand implements Runnable {
    @ParentCommand
    Opsdoc parent;

    @Parameters(arity = "1..*", paramLabel = "CHECK", description = "check ids")
    List<String> ids;

    @Override
    public void run() {
        CheckRegistry registry = CheckRegistry.load();
        List<Check<?>> checks = ids.stream().<Check<?>>map(registry::require).toList();
        var out = parent.out;
        for (Check<?> c : checks) {
            String comment = commentPrefix(c);
            out.println(comment + c.id() + ": read-only; nothing else is needed.");
            for (GrantSet g : c.grants()) {
                out.println(comment + g.flavor() + ": " + g.comment());
                g.statements().forEach(out::println);
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
}
