package io.opsdoc.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Json;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/opsdoc.schema.json, which editors use to complete opsdoc.yaml, knows exactly the keys the loader accepts. */
class ConfigSchemaTest {
    private static final Path SCHEMA = Path.of("../../docs/opsdoc.schema.json");

    private static Set<String> keys(JsonNode properties) {
        Set<String> out = new HashSet<>();
        properties.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void schemaAndLoaderAgreeOnEveryKey() throws Exception {
        JsonNode s = Json.mapper().readTree(SCHEMA.toFile());
        assertThat(keys(s.get("properties"))).isEqualTo(ConfigLoader.TOP);
        assertThat(keys(s.at("/properties/defaults/properties"))).isEqualTo(ConfigLoader.DEFAULTS);
        assertThat(keys(s.at("/$defs/target/properties"))).isEqualTo(ConfigLoader.TARGET);
        assertThat(keys(s.at("/$defs/waiver/properties"))).isEqualTo(ConfigLoader.WAIVER);
        assertThat(keys(s.at("/$defs/alert/properties"))).isEqualTo(ConfigLoader.ALERT);
        assertThat(keys(s.at("/$defs/forward/properties"))).isEqualTo(ConfigLoader.FORWARD);
    }
}
