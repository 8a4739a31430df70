package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.ParameterSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/**
 * docs/opsdoc.schema.json's "checks" part is generated from the check registry (every check module is on this
 * module's class path): each check id with its parameters and their types, so an editor completes them and rejects
 * a misspelt check or parameter. The test fails while the committed file differs from what the registry gives;
 * {@code -Dopsdoc.updateSchema=true} rewrites it.
 */
class ConfigSchemaGeneratedTest {
    private static final Path SCHEMA = Path.of("../../docs/opsdoc.schema.json");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static String generate(JsonNode committed) throws Exception {
        ObjectNode schema = committed.deepCopy();
        ObjectNode defs = (ObjectNode) schema.get("$defs");
        ObjectNode checks = F.objectNode();
        ArrayNode ids = F.arrayNode();
        for (Check<?> c : CheckRegistry.load().all().stream().sorted(Comparator.comparing(Check::id)).toList()) {
            ids.add(c.id());
            ObjectNode params = F.objectNode();
            for (ParameterSpec p : c.parameters()) {
                ObjectNode ps = type(p);
                ps.put("description", p.description() + " (default " + p.defaultValue() + ")");
                params.set(p.name(), ps);
            }
            ObjectNode overrides = F.objectNode().put("type", "object").put("additionalProperties", false);
            overrides.set("properties", params);
            ObjectNode one = F.objectNode();
            one.set("oneOf", F.arrayNode().add(F.objectNode().put("type", "null")).add(overrides));
            checks.set(c.id(), one);
        }
        defs.set("check-id", F.objectNode().put("description", "A check of 'opsdoc list'.").set("enum", ids));
        ObjectNode byName = F.objectNode().put("type", "object").put("minProperties", 1).put("additionalProperties", false);
        byName.set("properties", checks);
        ObjectNode list = F.objectNode().put("type", "array").put("minItems", 1);
        list.set("items", F.objectNode().put("$ref", "#/$defs/check-id"));
        ObjectNode checksSchema = F.objectNode().put("description",
                "Check ids, or check ids mapped to parameter overrides (see opsdoc list). Generated from the check registry.");
        checksSchema.set("oneOf", F.arrayNode().add(list).add(byName));
        ((ObjectNode) defs.at("/target/properties")).set("checks", checksSchema);
        return JSON.writeValueAsString(schema) + "\n";
    }

    /** What YAML may give for each parameter type: the operator's syntax as a string, or a plain number/boolean. */
    private static ObjectNode type(ParameterSpec p) {
        ObjectNode n = F.objectNode();
        ArrayNode any = F.arrayNode();
        switch (p.type()) {
            case DURATION -> {
                any.add(F.objectNode().put("$ref", "#/$defs/duration"));
                any.add(F.objectNode().put("type", "number").put("minimum", 0));
            }
            case PERCENT -> {
                any.add(F.objectNode().put("type", "string").put("pattern", "^[0-9]+(\\.[0-9]+)?\\s*%?$"));
                any.add(F.objectNode().put("type", "number").put("minimum", 0).put("maximum", 100));
            }
            case BYTES -> {
                any.add(F.objectNode().put("type", "string").put("pattern", "^[0-9]+(\\.[0-9]+)?\\s*([kKmMgGtT]?)([iI]?[bB])?$"));
                any.add(F.objectNode().put("type", "integer").put("minimum", 0));
            }
            case INTEGER -> {
                any.add(F.objectNode().put("type", "integer"));
                any.add(F.objectNode().put("type", "string").put("pattern", "^-?[0-9]+$"));
            }
            case BOOLEAN -> {
                any.add(F.objectNode().put("type", "boolean"));
                any.add(F.objectNode().put("enum", F.arrayNode().add("true").add("false")));
            }
            case STRING -> {
                any.add(F.objectNode().put("type", "string"));
                any.add(F.objectNode().put("type", "number"));
            }
        }
        n.set("anyOf", any);
        return n;
    }

    @Test
    void committedSchemaIsWhatTheRegistryGives() throws Exception {
        String committed = Files.readString(SCHEMA, StandardCharsets.UTF_8);
        String generated = generate(JSON.readTree(committed));
        if (Boolean.getBoolean("opsdoc.updateSchema")) {
            Files.writeString(SCHEMA, generated, StandardCharsets.UTF_8);
            committed = generated;
        }
        assertThat(committed).as("docs/opsdoc.schema.json is stale: run this test with -Dopsdoc.updateSchema=true "
                + "and commit the file").isEqualTo(generated);
    }

    @Test
    void schemaAcceptsTheExampleAndRejectsUnknownChecksAndParameters() throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(SCHEMA.toFile()));
        YAMLMapper yaml = new YAMLMapper();
        JsonNode example = yaml.readTree(Path.of("../../docs/examples/opsdoc.yaml").toFile());
        assertThat(schema.validate(example)).isEmpty();
        String base = "version: 1\ntargets:\n  t:\n    uri: mysql://m@db1:3306\n    checks: ";
        assertThat(schema.validate(yaml.readTree(base + "[mysql-replication]\n"))).isEmpty();
        assertThat(schema.validate(yaml.readTree(base + "{mysql-replication: {lag-warning: 60s}}\n"))).isEmpty();
        assertThat(schema.validate(yaml.readTree(base + "[mysql-replicaton]\n"))).isNotEmpty();
        assertThat(schema.validate(yaml.readTree(base + "{mysql-replication: {lag-warnin: 60s}}\n"))).isNotEmpty();
        assertThat(schema.validate(yaml.readTree(base + "{mysql-replication: {lag-warning: soon}}\n"))).isNotEmpty();
    }
}
