package io.opsdoc.cli;

import io.opsdoc.core.UsageException;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.core.report.JUnitReportWriter;
import io.opsdoc.core.report.JsonReportWriter;
import io.opsdoc.core.report.MarkdownReportWriter;
import io.opsdoc.core.report.NagiosReportWriter;
import io.opsdoc.core.report.PrometheusReportWriter;
import io.opsdoc.core.report.ReportWriter;
import io.opsdoc.core.report.SarifReportWriter;
import io.opsdoc.core.report.TextReportWriter;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** --format, --lang and colour, shared by every command that prints reports. */
final class OutputOptions {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json, nagios, junit, sarif, markdown or prometheus")
    String format;

    @Option(names = "--lang", paramLabel = "LANG",
            description = "language of the runbook text: en or zh (default: OPSDOC_LANG, else zh when LANG starts with zh, else en)")
    String lang;

    @Option(names = "--notes-url", paramLabel = "URL",
            description = "where 'opsdoc serve' serves the notes, e.g. http://opsdoc:9464/notes: SARIF rules then link to "
                    + "URL/en/<note>#<section> (default: OPSDOC_NOTES_URL; neither: no links)")
    String notesUrl;

    /** The gate's config file and the line of each target in it, so SARIF results point at the target's entry. */
    private String configPath;
    private Map<String, Integer> targetLines = Map.of();

    void locateTargetsIn(java.nio.file.Path config, java.util.Collection<String> targets) {
        try {
            var locations = io.opsdoc.core.config.YamlLocations.of(java.nio.file.Files.readString(config));
            Map<String, Integer> lines = new java.util.HashMap<>();
            for (String t : targets) {
                locations.position("/targets/" + t).ifPresent(p -> lines.put(t, p.line()));
            }
            configPath = config.toString();
            targetLines = Map.copyOf(lines);
        } catch (java.io.IOException | RuntimeException e) {
            // locations are a convenience for dashboards; the report is complete without them
        }
    }

    @Option(names = "--no-color", description = "never colour the text output (colour is only used on a terminal anyway; "
            + "a non-empty NO_COLOR does the same)")
    boolean noColor;

    @Option(names = {"-q", "--quiet"}, description = "print no report on standard output: the exit code is the answer "
            + "(--report files are still written, errors still go to standard error)")
    boolean quiet;

    String language(Map<String, String> env) {
        return language(lang, env);
    }

    static String language(String lang, Map<String, String> env) {
        String l = lang != null ? lang : env.getOrDefault("OPSDOC_LANG",
                env.getOrDefault("LANG", "").toLowerCase(Locale.ROOT).startsWith("zh") ? "zh" : "en");
        if (!l.equals("en") && !l.equals("zh")) {
            throw new UsageException("--lang must be en or zh, not '" + l + "'");
        }
        return l;
    }

    ReportWriter writer(Map<String, String> env) {
        ReportWriter w = writer(format, env, colour(env));  // a bad --format is still a usage error under --quiet
        return quiet ? (outcome, out) -> { } : w;
    }

    /** @param colour only ever true for the terminal; report files never get escape codes */
    ReportWriter writer(String name, Map<String, String> env, boolean colour) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "text" -> new TextReportWriter(NoteCatalog.load(), language(env), colour);
            case "json" -> new JsonReportWriter();
            case "nagios" -> new NagiosReportWriter();
            case "junit" -> new JUnitReportWriter();
            case "markdown", "md" -> new MarkdownReportWriter();
            case "prometheus", "prom" -> new PrometheusReportWriter();
            case "sarif" -> new SarifReportWriter(NoteCatalog.load(), notesUrl != null ? notesUrl : env.get("OPSDOC_NOTES_URL"),
                    configPath, targetLines);
            default -> throw new UsageException("unknown format '" + name + "'; use text, json, nagios, junit, sarif, markdown or prometheus");
        };
    }

    private boolean colour(Map<String, String> env) {
        return !noColor && System.console() != null && !noColorRequested(env) && !"dumb".equals(env.get("TERM"));
    }

    /** no-color.org: NO_COLOR disables colour when it is present and not an empty string ("NO_COLOR=" keeps it). */
    static boolean noColorRequested(Map<String, String> env) {
        String v = env.get("NO_COLOR");
        return v != null && !v.isEmpty();
    }
}
