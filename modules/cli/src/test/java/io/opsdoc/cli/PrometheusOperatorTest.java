package io.opsdoc.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes/prometheus-operator.yaml says the same as deploy/prometheus/: its PrometheusRule holds exactly
 * the rule file's groups (and so passes promtool too), its ServiceMonitor scrapes /metrics and every check x target
 * that prometheus.yml probes, with the token from the Secret.
 */
@Tag("lab")
class PrometheusOperatorTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path tmp;

    private static Map<String, JsonNode> objects() throws Exception {
        Map<String, JsonNode> byKind = new HashMap<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class)
                .readValues(Path.of("../../deploy/kubernetes/prometheus-operator.yaml").toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.has("kind")) {
                    byKind.put(doc.get("kind").asText(), doc);
                }
            }
        }
        return byKind;
    }

    @Test
    void prometheusRuleIsTheRuleFile() throws Exception {
        JsonNode rule = objects().get("PrometheusRule");
        assertThat(rule.at("/apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        JsonNode file = YAML.readTree(Path.of("../../deploy/prometheus/rules/opsdoc.rules.yml").toFile());
        assertThat(rule.at("/spec/groups")).isEqualTo(file.get("groups"));
        Path spec = tmp.resolve("spec.rules.yml");
        Files.writeString(spec, YAML.writeValueAsString(rule.get("spec")));
        ExternalTool.Result r = ExternalTool.require("promtool").run("check", "rules", spec.toString());
        assertThat(r.exit()).as(r.output()).isZero();
    }

    @Test
    void serviceMonitorScrapesWhatPrometheusYmlScrapes() throws Exception {
        JsonNode monitor = objects().get("ServiceMonitor");
        JsonNode prom = YAML.readTree(Path.of("../../deploy/prometheus/prometheus.yml").toFile());
        Set<String> expected = new HashSet<>();
        for (JsonNode job : prom.get("scrape_configs")) {
            if ("/probe".equals(job.path("metrics_path").asText())) {
                String check = job.at("/params/check/0").asText();
                for (JsonNode sc : job.get("static_configs")) {
                    sc.get("targets").forEach(t -> expected.add(check + "@" + t.asText()));
                }
            }
        }
        Set<String> actual = new HashSet<>();
        boolean metrics = false;
        for (JsonNode e : monitor.at("/spec/endpoints")) {
            assertThat(e.at("/authorization/credentials/name").asText()).isEqualTo("opsdoc-token");
            assertThat(e.path("port").asText()).isEqualTo("http");
            if ("/metrics".equals(e.path("path").asText())) {
                metrics = true;
                continue;
            }
            String target = e.at("/params/target/0").asText();
            actual.add(e.at("/params/check/0").asText() + "@" + target);
            assertThat(e.get("relabelings").toString()).contains("\"targetLabel\":\"instance\"").contains(target);
        }
        assertThat(metrics).isTrue();
        assertThat(actual).isEqualTo(expected).isNotEmpty();
    }
}
