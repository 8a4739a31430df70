package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.config.TargetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent (deploy/kubernetes/node-agent.yaml, deploy/prometheus/node-agent.yml, deploy/systemd/): its configs
 * load, it holds no privilege, its host mounts are read-only, and Prometheus scrapes exactly the checks it runs.
 */
@Tag("lab")
class NodeAgentDeployTest {
    private static final Path DEPLOY = Path.of("../../deploy");
    private static final Path AGENT = DEPLOY.resolve("kubernetes/node-agent.yaml");
    private static final Path SCRAPE = DEPLOY.resolve("prometheus/node-agent.yml");
    private static final Path UNIT = DEPLOY.resolve("systemd/opsdoc-node.service");
    private static final Path UNIT_CONFIG = DEPLOY.resolve("systemd/opsdoc-node.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode d : YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
            if (d != null && !d.isMissingNode() && !d.isNull()) {
                docs.add(d);
            }
        }
        return docs;
    }

    private static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found = docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private OpsdocConfig load(String yaml) throws IOException {
        Path f = tmp.resolve("agent-" + System.nanoTime() + ".yaml");
        Files.writeString(f, yaml);
        OpsdocConfig cfg = ConfigLoader.load(f, CheckRegistry.load());
        assertThat(cfg.warnings()).isEmpty();
        return cfg;
    }

    @Test
    void daemonSetRunsUnprivilegedWithReadOnlyHostMounts() throws IOException {
        List<JsonNode> docs = documents(AGENT);
        JsonNode ds = only(docs, "DaemonSet");
        JsonNode pod = ds.at("/spec/template/spec");
        assertThat(pod.path("hostPID").asBoolean(false)).isFalse();
        assertThat(pod.path("hostNetwork").asBoolean(false)).isFalse();
        assertThat(pod.get("automountServiceAccountToken").asBoolean()).as("the agent never talks to the API server").isFalse();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
        JsonNode c = pod.at("/containers/0");
        assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(c.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
        assertThat(c.at("/securityContext/capabilities/add").isMissingNode()).isTrue();
        assertThat(c.at("/securityContext/privileged").asBoolean(false)).isFalse();
        // every hostPath is mounted read-only
        Set<String> hostVolumes = new TreeSet<>();
        pod.get("volumes").forEach(v -> {
            if (v.has("hostPath")) {
                hostVolumes.add(v.get("name").asText());
            }
        });
        assertThat(hostVolumes).containsExactly("proc", "root");
        c.get("volumeMounts").forEach(m -> {
            if (hostVolumes.contains(m.get("name").asText())) {
                assertThat(m.get("readOnly").asBoolean()).as(m.get("name").asText()).isTrue();
            }
        });
        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");

        // the embedded config reads the mounted /proc and file systems, and runs only host checks
        OpsdocConfig cfg = load(only(docs, "ConfigMap").at("/data/opsdoc.yaml").asText());
        TargetConfig node = cfg.targets().get("node");
        assertThat(node.target().scheme()).isEqualTo("local");
        assertThat(node.target().display()).isEqualTo("local:?proc=/host/proc");
        assertThat(node.checks().keySet()).allMatch(id -> id.startsWith("linux-"));
    }

    @Test
    void prometheusScrapesEachPodForEveryCheckTheAgentRuns() throws IOException {
        OpsdocConfig cfg = load(only(documents(AGENT), "ConfigMap").at("/data/opsdoc.yaml").asText());
        Set<String> scraped = new TreeSet<>();
        JsonNode prom = YAML.readTree(SCRAPE.toFile());
        for (JsonNode job : prom.get("scrape_configs")) {
            assertThat(job.get("metrics_path").asText()).isEqualTo("/probe");
            assertThat(job.at("/params/target/0").asText()).isEqualTo("node");
            assertThat(job.at("/kubernetes_sd_configs/0/role").asText()).isEqualTo("pod");
            scraped.add(job.at("/params/check/0").asText());
        }
        assertThat(scraped).isEqualTo(new TreeSet<>(cfg.targets().get("node").checks().keySet()));

        // Debian's Prometheus is built without the Kubernetes service discovery, so its promtool rejects
        // kubernetes_sd_configs: promtool checks everything else (params, relabelling, authorization) with the
        // discovery swapped for a static target, and the discovery itself is checked above by its fields
        ExternalTool promtool = ExternalTool.require("promtool");
        Path token = tmp.resolve("token");
        Files.writeString(token, "not-a-real-token\n");
        Path copy = tmp.resolve("node-agent.yml");
        String text = Files.readString(SCRAPE);
        assertThat(text).contains("kubernetes_sd_configs: [{role: pod, namespaces: {names: [opsdoc]}}]");
        Files.writeString(copy, text.replace("/etc/prometheus/secrets/opsdoc-token/token", token.toString())
                .replace("kubernetes_sd_configs: [{role: pod, namespaces: {names: [opsdoc]}}]", "static_configs: [{targets: ['127.0.0.1:9465']}]"));
        ExternalTool.Result r = promtool.run("check", "config", copy.toString());
        assertThat(r.exit()).as(r.output()).isZero();
    }

    @Test
    void systemdUnitServesItsConfigUnprivileged() throws IOException {
        String unit = Files.readString(UNIT);
        assertThat(unit).contains("ExecStart=/usr/bin/opsdoc serve -c /etc/opsdoc/node.yaml")
                .contains("DynamicUser=yes").contains("NoNewPrivileges=yes").contains("CapabilityBoundingSet=\n")
                .contains("ProtectSystem=strict").contains("LoadCredential=token:");
        TargetConfig node = load(Files.readString(UNIT_CONFIG)).targets().get("node");
        assertThat(node.target().scheme()).isEqualTo("local");
        assertThat(node.checks()).containsKeys("linux-disk", "linux-memory");
    }
}
