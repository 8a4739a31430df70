package io.opsdoc.cli;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ProbeErrors;
import java.util.stream.Collectors;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "list", description = "List the checks, the targets they run on, their parameters and finding codes.")
final class ListCommand implements Runnable {
    @ParentCommand
    Opsdoc parent;

    @Option(names = "--paths", description = "for each check, where its class, notes, lab scenarios and tests are "
            + "in the source tree")
    boolean paths;

    @Parameters(paramLabel = "CHECK", arity = "0..*", description = "only these checks")
    List<String> only = new ArrayList<>();

    @Override
    public void run() {
        var out = parent.out;
        CheckRegistry registry = CheckRegistry.load();
        only.forEach(registry::require);
        if (paths) {
            for (CheckIndex.Entry e : CheckIndex.entries(registry)) {
                if (!only.isEmpty() && !only.contains(e.check().id())) {
                    continue;
                }
                out.println(e.check().id());
                out.println("    check     " + e.source());
                e.notes().forEach(n -> out.println("    note      " + n + "  (zh: " + n.replace("/en/", "/zh/") + ")"));
                if (!e.scenarioSource().isEmpty()) {
                    out.println("    scenarios " + e.scenarioSource() + "  (" + e.scenarios().size() + ": "
                            + String.join(", ", e.scenarios()) + ")");
                    out.println("    tests     " + String.join(", ", e.scenarioTests()));
                }
                out.println();
            }
            return;
        }
        for (Check<?> c : registry.all()) {
            if (!only.isEmpty() && !only.contains(c.id())) {
                continue;
            }
            out.println(c.id() + "  (" + String.join(" ", c.targetSchemes().stream().map(io.opsdoc.core.Target::schemePrefix).toList()) + ")  "
                    + c.title());
            for (ParameterSpec p : c.parameters()) {
                out.println("    --set " + p.name() + "=" + p.defaultValue() + "  " + p.description());
            }
            for (FindingCode f : c.codes()) {
                out.println("    " + f.code() + "  " + f.title() + "  [" + f.note() + "]");
            }
            out.println();
        }
        out.println("Every check can also report UNKNOWN: "
                + ProbeErrors.ALL.stream().map(FindingCode::code).collect(Collectors.joining(", "))
                + "  [" + ProbeErrors.NOTE + "]");
    }
}
