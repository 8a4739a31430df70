package io.opsdoc.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.InputFiles;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.alerts.AlertMapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads opsdoc.yaml and checks everything that can be checked before a connection is made: known keys, target URIs,
 * check ids, parameter names and values, waiver dates. Every error names file, line, column and key.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Set<String> TOP = Set.of("version", "defaults", "targets", "waivers", "alerts", "forward");
    static final Set<String> DEFAULTS = Set.of("timeout", "concurrency", "per-target");
    static final Set<String> TARGET = Set.of("uri", "password", "tags", "timeout", "checks", "alert-instances");
    static final Set<String> ALERT = Set.of("note", "check", "target");
    static final Set<String> FORWARD = Set.of("name", "type", "url", "secret");
    private static final Set<String> PASSWORD = Set.of("env", "file");
    static final Set<String> WAIVER = Set.of("target", "check", "code", "reason", "owner", "expires");

    private final Path file;
    private final CheckRegistry registry;
    private YamlLocations locations;
    private final List<String> warnings = new ArrayList<>();

    private ConfigLoader(Path file, CheckRegistry registry) {
        this.file = file;
        this.registry = registry;
    }

    public static OpsdocConfig load(Path file, CheckRegistry registry) {
        return new ConfigLoader(file, registry).load();
    }

    private OpsdocConfig load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(InputFiles.unreadable("config", file, e).getMessage());
        }
        JsonNode root;
        try {
            locations = YamlLocations.of(text);
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            JsonLocation l = e.getLocation();
            throw new ConfigException(file + ":" + (l == null ? "1:1" : l.getLineNr() + ":" + l.getColumnNr())
                    + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw error("", "the file is empty; it needs at least 'targets:'");
        }
        object(root, "", TOP);
        if (root.has("version") && root.get("version").asInt(-1) != 1) {
            throw error("/version", "only version 1 is known");
        }
        Duration timeout = OpsdocConfig.DEFAULT_TIMEOUT;
        int concurrency = OpsdocConfig.DEFAULT_CONCURRENCY;
        int perTarget = OpsdocConfig.DEFAULT_PER_TARGET;
        JsonNode defaults = root.get("defaults");
        if (defaults != null && !defaults.isNull()) {
            object(defaults, "/defaults", DEFAULTS);
            if (defaults.has("timeout")) {
                timeout = duration(defaults.get("timeout"), "/defaults/timeout");
            }
            if (defaults.has("concurrency")) {
                concurrency = positive(defaults.get("concurrency"), "/defaults/concurrency");
            }
            if (defaults.has("per-target")) {
                perTarget = positive(defaults.get("per-target"), "/defaults/per-target");
            }
        }
        JsonNode targetsNode = root.get("targets");
        if (targetsNode == null || !targetsNode.isObject() || targetsNode.isEmpty()) {
            throw error(targetsNode == null ? "" : "/targets", "'targets' must map target names to their uri and checks");
        }
        Map<String, TargetConfig> targets = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = targetsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            targets.put(e.getKey(), target(e.getKey(), e.getValue(), "/targets/" + e.getKey()));
        }
        List<Waiver> waivers = new ArrayList<>();
        JsonNode waiversNode = root.get("waivers");
        if (waiversNode != null && !waiversNode.isNull()) {
            if (!waiversNode.isArray()) {
                throw error("/waivers", "must be a list of waivers");
            }
            for (int i = 0; i < waiversNode.size(); i++) {
                waivers.add(waiver(waiversNode.get(i), "/waivers/" + i, targets));
            }
        }
        Map<String, AlertMapping> alerts = new LinkedHashMap<>();
        JsonNode alertsNode = root.get("alerts");
        if (alertsNode != null && !alertsNode.isNull()) {
            if (!alertsNode.isObject()) {
                throw error("/alerts", "must map alert names to {note, check, target}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = alertsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                alerts.put(e.getKey(), alert(e.getKey(), e.getValue(), "/alerts/" + e.getKey(), targets));
            }
        }
        List<ForwardConfig> forward = new ArrayList<>();
        JsonNode forwardNode = root.get("forward");
        if (forwardNode != null && !forwardNode.isNull()) {
            if (!forwardNode.isArray()) {
                throw error("/forward", "must be a list of receivers");
            }
            for (int i = 0; i < forwardNode.size(); i++) {
                forward.add(forward(forwardNode.get(i), "/forward/" + i, forward));
            }
        }
        return new OpsdocConfig(file, timeout, concurrency, perTarget, targets, waivers, Map.copyOf(alerts),
                List.copyOf(forward), List.copyOf(warnings));
    }

    private AlertMapping alert(String name, JsonNode node, String at, Map<String, TargetConfig> targets) {
        object(node, at, ALERT);
        String note = node.has("note") ? text(node.get("note"), at + "/note") : null;
        String check = node.has("check") ? text(node.get("check"), at + "/check") : null;
        String target = node.has("target") ? text(node.get("target"), at + "/target") : null;
        if (note == null && check == null && target == null) {
            throw error(at, "give at least one of note, check, target");
        }
        if (check != null) {
            Check<?> c = registry.find(check).orElseThrow(() -> error(at + "/check", "unknown check '" + check + "' (opsdoc list shows them)"));
            if (note == null && !c.codes().isEmpty()) {
                note = c.codes().get(0).noteId();
            }
        }
        if (target != null) {
            TargetConfig t = targets.get(target);
            if (t == null) {
                throw error(at + "/target", "no target named '" + target + "' in this file");
            }
            if (check != null && !t.checks().containsKey(check)) {
                throw error(at + "/target", "target '" + target + "' does not list check '" + check + "'");
            }
        }
        return new AlertMapping(name, note, check, target);
    }

    private ForwardConfig forward(JsonNode node, String at, List<ForwardConfig> before) {
        object(node, at, FORWARD);
        String name = text(required(node, "name", at), at + "/name");
        if (before.stream().anyMatch(f -> f.name().equals(name))) {
            throw error(at + "/name", "a receiver named '" + name + "' comes earlier in the list");
        }
        String type = text(required(node, "type", at), at + "/type");
        if (!ForwardConfig.TYPES.contains(type)) {
            throw error(at + "/type", "unknown receiver type '" + type + "' (expected one of " + String.join(", ", new java.util.TreeSet<>(ForwardConfig.TYPES)) + ")");
        }
        SecretRef url = secret(required(node, "url", at), at + "/url", "URL");
        SecretRef signing = node.has("secret") && !node.get("secret").isNull() ? secret(node.get("secret"), at + "/secret", "secret") : null;
        if (signing != null && !type.equals("dingtalk") && !type.equals("feishu")) {
            throw error(at + "/secret", "only dingtalk and feishu robots sign their requests");
        }
        return new ForwardConfig(name, type, url, signing);
    }

    private TargetConfig target(String name, JsonNode node, String at) {
        object(node, at, TARGET);
        Target target;
        try {
            target = Target.parse(text(required(node, "uri", at), at + "/uri"));
        } catch (UsageException e) {
            throw error(at + "/uri", e.getMessage());
        }
        SecretRef password = null;
        JsonNode pw = node.get("password");
        if (pw != null && !pw.isNull()) {
            password = secret(pw, at + "/password");
        } else if (target.passwordInUri()) {
            warnings.add(where(at + "/uri") + ": the uri carries a password in plain text; use password: {env: VAR}");
        }
        List<String> tags = new ArrayList<>();
        JsonNode tagsNode = node.get("tags");
        if (tagsNode != null && !tagsNode.isNull()) {
            if (!tagsNode.isArray()) {
                throw error(at + "/tags", "must be a list, e.g. [prod, mysql]");
            }
            for (int i = 0; i < tagsNode.size(); i++) {
                tags.add(text(tagsNode.get(i), at + "/tags/" + i));
            }
        }
        Duration timeout = node.has("timeout") ? duration(node.get("timeout"), at + "/timeout") : null;
        Map<String, Map<String, String>> checks = new LinkedHashMap<>();
        JsonNode checksNode = required(node, "checks", at);
        if (checksNode.isArray()) {
            for (int i = 0; i < checksNode.size(); i++) {
                String id = text(checksNode.get(i), at + "/checks/" + i);
                checks.put(id, Map.of());
                validateCheck(id, Map.of(), target, at + "/checks/" + i, at + "/checks/" + i);
            }
        } else if (checksNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = checksNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String cat = at + "/checks/" + e.getKey();
                Map<String, String> params = new LinkedHashMap<>();
                if (e.getValue() != null && !e.getValue().isNull()) {
                    if (!e.getValue().isObject()) {
                        throw error(cat, "parameters must be a map, e.g. lag-warning: 60s");
                    }
                    e.getValue().fields().forEachRemaining(p -> params.put(p.getKey(), text(p.getValue(), cat + "/" + p.getKey())));
                }
                validateCheck(e.getKey(), params, target, cat, cat);
                checks.put(e.getKey(), params);
            }
        } else {
            throw error(at + "/checks", "must list check ids, or map check ids to their parameters");
        }
        if (checks.isEmpty()) {
            throw error(at + "/checks", "names no check");
        }
        List<String> instances = new ArrayList<>();
        JsonNode instancesNode = node.get("alert-instances");
        if (instancesNode != null && !instancesNode.isNull()) {
            if (!instancesNode.isArray()) {
                throw error(at + "/alert-instances", "must be a list of label values, e.g. [db1:9104]");
            }
            for (int i = 0; i < instancesNode.size(); i++) {
                instances.add(text(instancesNode.get(i), at + "/alert-instances/" + i));
            }
        }
        return new TargetConfig(name, target, password, List.copyOf(tags), timeout, checks, List.copyOf(instances));
    }

    private void validateCheck(String id, Map<String, String> params, Target target, String idAt, String paramsAt) {
        Check<?> check = registry.find(id).orElseThrow(() -> error(idAt, "unknown check '" + id + "' (opsdoc list shows them)"));
        try {
            Runner.requireScheme(check, target);
            check.validate(target);
        } catch (UsageException e) {
            throw error(idAt, e.getMessage());
        }
        for (Map.Entry<String, String> p : params.entrySet()) {
            try {
                Parameters.resolve(id, check.parameters(), Map.of(p.getKey(), p.getValue()));
            } catch (UsageException e) {
                throw error(paramsAt + "/" + p.getKey(), e.getMessage());
            }
        }
        try {
            check.validate(target, Parameters.resolve(id, check.parameters(), params));
        } catch (UsageException e) {
            throw error(paramsAt, e.getMessage());
        }
    }

    private SecretRef secret(JsonNode node, String at) {
        return secret(node, at, "password");
    }

    private SecretRef secret(JsonNode node, String at, String what) {
        if (node.isTextual()) {
            warnings.add(where(at) + ": a plain-text " + what + " in the config; use {env: VAR} or {file: PATH}");
            return new SecretRef(null, null, Secret.of(node.asText(), "the config file"), where(at));
        }
        object(node, at, PASSWORD);
        if (node.has("env") == node.has("file")) {
            throw error(at, "give exactly one of env: VARIABLE or file: PATH");
        }
        if (node.has("env")) {
            return new SecretRef(text(node.get("env"), at + "/env"), null, null, where(at));
        }
        Path p = Path.of(text(node.get("file"), at + "/file"));
        return new SecretRef(null, p.isAbsolute() ? p : file.toAbsolutePath().getParent().resolve(p), null, where(at));
    }

    private Waiver waiver(JsonNode node, String at, Map<String, TargetConfig> targets) {
        object(node, at, WAIVER);
        String target = text(required(node, "target", at), at + "/target");
        if (!targets.containsKey(target)) {
            throw error(at + "/target", "no target named '" + target + "' in this file");
        }
        String check = node.has("check") ? text(node.get("check"), at + "/check") : null;
        if (check != null && registry.find(check).isEmpty()) {
            throw error(at + "/check", "unknown check '" + check + "'");
        }
        String code = text(required(node, "code", at), at + "/code");
        String reason = text(required(node, "reason", at), at + "/reason");
        String owner = text(required(node, "owner", at), at + "/owner");
        LocalDate expires;
        try {
            expires = LocalDate.parse(text(required(node, "expires", at), at + "/expires"));
        } catch (DateTimeParseException e) {
            throw error(at + "/expires", "must be a date like 2027-01-31");
        }
        return new Waiver(target, check, code, reason, owner, expires);
    }

    private void object(JsonNode node, String at, Set<String> allowed) {
        if (!node.isObject()) {
            throw error(at, "must be a map with keys " + String.join(", ", allowed));
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw error(at + "/" + k, "unknown key '" + k + "' (expected one of " + String.join(", ", allowed) + ")");
            }
        });
    }

    private JsonNode required(JsonNode node, String key, String at) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw error(at, "missing '" + key + "'");
        }
        return v;
    }

    private String text(JsonNode node, String at) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            throw error(at, "must be a single value");
        }
        return node.asText();
    }

    private Duration duration(JsonNode node, String at) {
        try {
            Duration d = (Duration) ParameterType.DURATION.parse(text(node, at));
            if (d.isZero()) {
                throw error(at, "must be more than 0");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw error(at, e.getMessage());
        }
    }

    private int positive(JsonNode node, String at) {
        if (!node.canConvertToInt() || node.asInt() < 1) {
            throw error(at, "must be a whole number of 1 or more");
        }
        return node.asInt();
    }

    private String where(String pointer) {
        return file + ":" + locations.at(pointer) + ": " + dotted(pointer);
    }

    private ConfigException error(String pointer, String message) {
        return new ConfigException(where(pointer) + (pointer.isEmpty() ? "" : ": ") + message);
    }

    private static String dotted(String pointer) {
        return pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.');
    }
}
