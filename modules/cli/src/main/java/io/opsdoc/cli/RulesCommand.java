package io.opsdoc.cli;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.alerts.AlertMapping;
import io.opsdoc.core.alerts.AlertNotes;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.notes.NoteCatalog;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "rules", description = {"Check Prometheus alerting rules against opsdoc's notes, and add runbook_url annotations.",
        "Reads rule files (groups: [...]) and Kubernetes PrometheusRule objects (spec.groups)."},
        subcommands = {RulesLintCommand.class, RulesAnnotateCommand.class},
        footer = {"", "Examples:", "  opsdoc rules lint alerts/*.yaml -c opsdoc.yaml",
                "  opsdoc rules annotate --base-url https://opsdoc.example/notes --in-place alerts/mysql.yaml", "",
                "See docs/rules.md for the lint codes and their severities."})
final class RulesCommand implements Callable<Integer> {
    @ParentCommand
    Opsdoc parent;

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Override
    public Integer call() {
        throw new UsageException("name a subcommand: 'opsdoc rules lint FILE...' or 'opsdoc rules annotate --base-url URL FILE'");
    }

    /** The notes and the user's alert mappings (from -c), as opsdoc serve would resolve alerts. */
    static AlertNotes alertNotes(NoteCatalog notes, Path config) {
        Map<String, AlertMapping> mappings = config == null ? Map.of() : ConfigLoader.load(config, CheckRegistry.load()).alerts();
        return new AlertNotes(notes, mappings);
    }

    /** A language the notes exist in. */
    static String language(NoteCatalog notes, String lang) {
        if (!notes.languages().contains(lang)) {
            throw new UsageException("--lang " + lang + ": the notes exist in " + String.join(", ", notes.languages()));
        }
        return lang;
    }

    /** An absolute http(s) URL without a trailing slash, or null. */
    static String baseUrl(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String u = url.strip().replaceAll("/+$", "");
        try {
            URI parsed = new URI(u);
            if (!("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme())) || parsed.getHost() == null
                    || parsed.getQuery() != null || parsed.getFragment() != null) {
                throw new URISyntaxException(u, "not an absolute http(s) URL without query or fragment");
            }
        } catch (URISyntaxException e) {
            throw new UsageException("--base-url " + url + ": expected where the notes are served, e.g. https://opsdoc.example/notes");
        }
        return u;
    }
}
