package io.opsdoc.cli;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ProbeErrors;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "list", description = "List the checks, the targets they run on, their parameters and finding codes.")
final class ListCommand implements Runnable {
    @ParentCommand
    Opsdoc parent;

    @Override
    public void run() {
        var out = parent.out;
        for (Check<?> c : CheckRegistry.load().all()) {
            out.println(c.id() + "  (" + String.join(" ", c.targetSchemes().stream().map(s -> s + "://").toList()) + ")  "
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
