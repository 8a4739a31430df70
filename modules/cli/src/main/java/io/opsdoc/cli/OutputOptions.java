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
            description = "base URL of the served runbook notes, for links in SARIF (default: OPSDOC_NOTES_URL, else urn:opsdoc:note:)")
    String notesUrl;

    @Option(names = "--no-color", description = "never colour the text output (colour is only used on a terminal anyway)")
    boolean noColor;

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
        return writer(format, env, colour(env));
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
            case "sarif" -> new SarifReportWriter(NoteCatalog.load(),
                    notesUrl != null ? notesUrl : env.getOrDefault("OPSDOC_NOTES_URL", SarifReportWriter.DEFAULT_NOTES_URL));
            default -> throw new UsageException("unknown format '" + name + "'; use text, json, nagios, junit, sarif, markdown or prometheus");
        };
    }

    private boolean colour(Map<String, String> env) {
        return !noColor && System.console() != null && !env.containsKey("NO_COLOR") && !"dumb".equals(env.get("TERM"));
    }
}
