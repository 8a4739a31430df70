package io.opsdoc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsdoc.core.Json;
import io.opsdoc.core.Severity;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.notes.NoteCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "lint", description = "Report alerting rules with no runbook_url, opsdoc links that do not resolve to a note "
        + "section, and alerts opsdoc has no note or check for.",
        footer = {"", "Codes: NO_RUNBOOK_URL (WARNING), RUNBOOK_URL_BROKEN (CRITICAL), RUNBOOK_URL_FOREIGN (INFO), NO_NOTE (INFO), NO_CHECK (INFO).",
                "Exit codes: 0 clean (INFO only), 1 warnings, 2 broken links, 64 unreadable or malformed file."})
final class RulesLintCommand implements Callable<Integer> {
    @ParentCommand
    RulesCommand rules;

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Prometheus rule files or PrometheusRule manifests")
    List<Path> files;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "opsdoc.yaml: its alerts: section maps your own alert names to notes and checks")
    Path config;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
    String format;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "where the notes are served, to show the runbook_url annotate would add (default: OPSDOC_NOTES_URL)")
    String baseUrl;

    @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en", description = "language of the suggested links (default ${DEFAULT-VALUE})")
    String lang;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("unknown format '" + format + "'; use text or json");
        }
        NoteCatalog notes = NoteCatalog.load();
        String language = RulesCommand.language(notes, lang);
        String base = RulesCommand.baseUrl(baseUrl != null ? baseUrl : rules.parent.env.get("OPSDOC_NOTES_URL"));
        RulesLint lint = new RulesLint(notes, RulesCommand.alertNotes(notes, config), base, language);
        List<PrometheusRuleFile> read = new ArrayList<>();
        for (Path f : files) {
            read.add(PrometheusRuleFile.read(f)); // every file first: a malformed one fails the run before any output
        }
        List<RulesLint.Finding> findings = new ArrayList<>();
        PromqlLint promql = new PromqlLint(PromqlLint.findPromtool(rules.parent.env));
        int alerts = 0;
        for (PrometheusRuleFile f : read) {
            findings.addAll(promql.lint(f));
            findings.addAll(lint.lint(f));
            alerts += f.alerts.size();
        }
        Severity worst = Severity.OK;
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (RulesLint.Finding f : findings) {
            worst = worst.worst(f.severity());
            counts.merge(f.severity(), 1, Integer::sum);
        }
        if (format.equals("json")) {
            printJson(read, findings, alerts, worst, counts);
        } else {
            printText(read, findings, alerts, worst, counts);
        }
        return worst.exitCode();
    }

    private void printText(List<PrometheusRuleFile> read, List<RulesLint.Finding> findings, int alerts, Severity worst,
            Map<Severity, Integer> counts) {
        var out = rules.parent.out;
        int recording = read.stream().mapToInt(f -> f.recordingRules).sum();
        out.println("RULES " + (worst == Severity.INFO ? "OK" : worst.name()) + " - " + alerts + " alert" + (alerts == 1 ? "" : "s")
                + " in " + read.size() + " file" + (read.size() == 1 ? "" : "s") + " (" + recording + " recording rule"
                + (recording == 1 ? "" : "s") + ": PromQL only): " + summary(counts));
        for (RulesLint.Finding f : findings) {
            out.println(f.file() + ":" + f.line() + ": " + f.severity() + " " + f.code()
                    + (f.alert() == null || f.alert().isEmpty() ? "" : " " + f.alert()) + ": " + f.message());
        }
    }

    private static String summary(Map<Severity, Integer> counts) {
        if (counts.isEmpty()) {
            return "no findings";
        }
        List<String> parts = new ArrayList<>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.WARNING, Severity.INFO)) {
            if (counts.containsKey(s)) {
                parts.add(counts.get(s) + " " + s);
            }
        }
        return String.join(", ", parts);
    }

    private void printJson(List<PrometheusRuleFile> read, List<RulesLint.Finding> findings, int alerts, Severity worst,
            Map<Severity, Integer> counts) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("schema", "opsdoc.rules-lint/v1");
        root.put("status", worst.name());
        root.put("alerts", alerts);
        root.put("recording_rules", read.stream().mapToInt(f -> f.recordingRules).sum());
        ArrayNode fs = root.putArray("files");
        read.forEach(f -> fs.add(f.path.toString()));
        ObjectNode c = root.putObject("counts");
        for (Severity s : List.of(Severity.CRITICAL, Severity.WARNING, Severity.INFO)) {
            c.put(s.name(), counts.getOrDefault(s, 0));
        }
        ArrayNode list = root.putArray("findings");
        for (RulesLint.Finding f : findings) {
            ObjectNode o = list.addObject();
            o.put("file", f.file());
            o.put("line", f.line());
            o.put("group", f.group());
            o.put("alert", f.alert());
            o.put("code", f.code());
            o.put("severity", f.severity().name());
            o.put("message", f.message());
            o.put("runbook_url", f.runbookUrl());
            o.put("note", f.note());
            o.put("check", f.check());
            o.put("suggested_runbook_url", f.suggestedUrl());
        }
        try {
            rules.parent.out.println(Json.mapper().writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
