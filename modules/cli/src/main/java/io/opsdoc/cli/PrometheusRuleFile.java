package io.opsdoc.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.config.YamlLocations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Prometheus rule file as written, read for {@code opsdoc rules}: the plain form ({@code groups: [{name, rules}]})
 * or Kubernetes {@code PrometheusRule} objects ({@code spec.groups}), several YAML documents allowed. Every alerting
 * rule keeps its file, line and JSON pointer, so lint can name the line and annotate can edit the text in place.
 * Recording rules are counted and skipped; other Kubernetes objects in the same file are skipped.
 */
final class PrometheusRuleFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DOC_SEPARATOR = Pattern.compile("^(---|\\.\\.\\.)(\\s.*)?$");

    /** One YAML document. {@code text} is the whole file with every other document's lines blanked, so positions are the file's. */
    record Doc(int index, String text, JsonNode root, YamlLocations locations, String groupsPointer) {
    }

    /**
     * An alerting rule.
     *
     * @param pointer JSON pointer of the rule in its document, e.g. {@code /spec/groups/0/rules/3}
     * @param line    the line of its {@code alert:} key
     */
    record Alert(String name, String group, Doc doc, String pointer, int line, JsonNode rule, String runbookUrl) {
    }

    /**
     * Any rule's expression, for the PromQL checks.
     *
     * @param groupIndex the group's position in its document, {@code ruleIndex} the rule's in its group (both 0-based)
     * @param line       the line of its {@code expr:} key (of the rule when it has none)
     */
    record Expr(String rule, String group, Doc doc, int groupIndex, int ruleIndex, int line, String expr) {
    }

    final Path path;
    final String text;
    final List<Doc> docs;
    final List<Alert> alerts;
    final List<Expr> exprs;
    final int recordingRules;

    private PrometheusRuleFile(Path path, String text, List<Doc> docs, List<Alert> alerts, List<Expr> exprs,
            int recordingRules) {
        this.path = path;
        this.text = text;
        this.docs = docs;
        this.alerts = alerts;
        this.exprs = exprs;
        this.recordingRules = recordingRules;
    }

    static PrometheusRuleFile read(Path path) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(path);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UsageException(path + ": not UTF-8 text");
        } catch (IOException e) {
            throw io.opsdoc.core.InputFiles.unreadable("rule file", path, e);
        }
        return parse(path, text);
    }

    static PrometheusRuleFile parse(Path path, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\n", -1);
        List<int[]> ranges = new ArrayList<>(); // [first line, end line) of each document, 0-based
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            if (DOC_SEPARATOR.matcher(lines[i].stripTrailing()).matches()) {
                ranges.add(new int[] {start, i});
                start = i + 1;
            }
        }
        ranges.add(new int[] {start, lines.length});
        List<Doc> docs = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        List<Expr> exprs = new ArrayList<>();
        int recording = 0;
        boolean sawGroups = false;
        for (int[] r : ranges) {
            StringBuilder b = new StringBuilder(text.length());
            for (int i = 0; i < lines.length; i++) {
                if (i >= r[0] && i < r[1]) {
                    b.append(lines[i]);
                }
                if (i < lines.length - 1) {
                    b.append('\n');
                }
            }
            String docText = b.toString();
            JsonNode root;
            YamlLocations locations;
            try {
                locations = YamlLocations.of(docText);
                root = YAML.readTree(docText);
            } catch (JacksonException e) {
                JsonLocation l = e.getLocation();
                throw new UsageException(path + ":" + (l == null ? "1:1" : l.getLineNr() + ":" + l.getColumnNr())
                        + ": not valid YAML: " + yamlProblem(e));
            } catch (IOException e) {
                throw new UsageException(path + ": cannot read (" + e.getMessage() + ")");
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                continue; // an empty document, e.g. after a leading '---'
            }
            Doc probe = new Doc(docs.size(), docText, root, locations, null);
            if (!root.isObject()) {
                throw error(path, probe, "", "expected a rule file ('groups:') or a PrometheusRule object, found a "
                        + root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
            }
            String groupsPointer;
            JsonNode groups;
            if (root.has("groups")) {
                groupsPointer = "/groups";
                groups = root.get("groups");
            } else if ("PrometheusRule".equals(root.path("kind").asText(null))) {
                groupsPointer = "/spec/groups";
                groups = root.path("spec").path("groups");
                if (groups.isMissingNode()) {
                    throw error(path, probe, "", "PrometheusRule has no spec.groups");
                }
            } else if (root.has("kind")) {
                continue; // another Kubernetes object in a multi-document manifest
            } else {
                throw error(path, probe, "", "expected 'groups:' (a Prometheus rule file) or a PrometheusRule object (spec.groups)");
            }
            sawGroups = true;
            Doc doc = new Doc(docs.size(), docText, root, locations, groupsPointer);
            docs.add(doc);
            if (groups.isNull()) {
                continue;
            }
            if (!groups.isArray()) {
                throw error(path, doc, groupsPointer, "'groups' must be a list of {name, rules}");
            }
            for (int g = 0; g < groups.size(); g++) {
                JsonNode group = groups.get(g);
                String gp = groupsPointer + "/" + g;
                if (!group.isObject()) {
                    throw error(path, doc, gp, "a group must be a mapping with name and rules");
                }
                String groupName = group.path("name").asText("");
                if (!group.path("name").isTextual() || groupName.isBlank()) {
                    throw error(path, doc, gp, "the group has no name");
                }
                JsonNode rules = group.get("rules");
                if (rules == null || rules.isNull()) {
                    continue;
                }
                if (!rules.isArray()) {
                    throw error(path, doc, gp + "/rules", "group '" + groupName + "': 'rules' must be a list");
                }
                for (int i = 0; i < rules.size(); i++) {
                    JsonNode rule = rules.get(i);
                    String rp = gp + "/rules/" + i;
                    if (!rule.isObject()) {
                        throw error(path, doc, rp, "group '" + groupName + "': a rule must be a mapping with alert or record");
                    }
                    if (rule.path("expr").isValueNode()) {
                        int exprLine = locations.position(rp + "/expr").or(() -> locations.position(rp))
                                .map(YamlLocations.Position::line).orElse(1);
                        String name = rule.path(rule.has("record") ? "record" : "alert").asText("");
                        exprs.add(new Expr(name, groupName, doc, g, i, exprLine, rule.path("expr").asText()));
                    }
                    if (rule.has("record")) {
                        recording++;
                        continue;
                    }
                    JsonNode alert = rule.get("alert");
                    if (alert == null || !alert.isTextual() || alert.asText().isBlank()) {
                        throw error(path, doc, alert == null ? rp : rp + "/alert",
                                "group '" + groupName + "': a rule needs 'alert: NAME' or 'record: NAME'");
                    }
                    JsonNode annotations = rule.get("annotations");
                    String runbookUrl = null;
                    if (annotations != null && !annotations.isNull()) {
                        if (!annotations.isObject()) {
                            throw error(path, doc, rp + "/annotations", "alert " + alert.asText() + ": 'annotations' must be a mapping");
                        }
                        JsonNode url = annotations.get("runbook_url");
                        if (url != null && !url.isNull()) {
                            if (!url.isValueNode()) {
                                throw error(path, doc, rp + "/annotations/runbook_url", "alert " + alert.asText() + ": runbook_url must be a string");
                            }
                            runbookUrl = url.asText();
                        }
                    }
                    int line = locations.position(rp + "/alert").map(YamlLocations.Position::line).orElse(1);
                    alerts.add(new Alert(alert.asText(), groupName, doc, rp, line, rule, runbookUrl));
                }
            }
        }
        if (!sawGroups) {
            throw new UsageException(path + ": no rule groups: expected 'groups:' (a Prometheus rule file) or a PrometheusRule object (spec.groups)");
        }
        return new PrometheusRuleFile(path, text, List.copyOf(docs), List.copyOf(alerts), List.copyOf(exprs), recording);
    }

    /** SnakeYAML's problem in one line ("expected <block end>, but found ... (in the block mapping from line 2)"). */
    private static String yamlProblem(JacksonException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null) {
            String context = m.getContext() == null || m.getContextMark() == null ? ""
                    : " (" + m.getContext().replaceFirst("^while ", "") + " from line " + (m.getContextMark().getLine() + 1) + ")";
            return m.getProblem() + context;
        }
        return e.getOriginalMessage().replaceAll("\\s+", " ").strip();
    }

    private static UsageException error(Path path, Doc doc, String pointer, String message) {
        return new UsageException(path + ":" + doc.locations().at(pointer) + ": " + message);
    }

    /** {@code file:line} of an alert, the form editors and CI annotations jump to. */
    String where(Alert a) {
        return path + ":" + a.line();
    }
}
