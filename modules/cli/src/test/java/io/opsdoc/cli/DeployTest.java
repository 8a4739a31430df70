package io.opsdoc.cli;

import org.junit.jupiter.api.Tag;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/: the Prometheus and Alertmanager configs pass their own tools (promtool, amtool: skipped only when absent
 * and CI is not true), and the Kubernetes manifests hold together: kinds, non-root containers, the ServiceAccount
 * of rbac.yaml, a config opsdoc loads, and scrape jobs for exactly the checks that config runs.
 */
@Tag("lab")
class DeployTest {
    private static final Path DEPLOY = Path.of("../../deploy");
    private static final Path PROMETHEUS = DEPLOY.resolve("prometheus/prometheus.yml");
    private static final Path RULES = DEPLOY.resolve("prometheus/rules/opsdoc.rules.yml");
    private static final Path ALERTMANAGER = DEPLOY.resolve("alertmanager/alertmanager.yml");
    private static final Path SERVE = DEPLOY.resolve("kubernetes/serve.yaml");
    private static final Path RBAC = DEPLOY.resolve("kubernetes/rbac.yaml");
    private static final String TOKEN_PATH = "/etc/prometheus/secrets/opsdoc-token/token";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode d : YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
            if (d != null && !d.isNull() && !d.isMissingNode()) {
                out.add(d);
            }
        }
        return out;
    }

    private static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found = docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    @Test
    void prometheusConfigPassesPromtool() throws IOException {
        ExternalTool promtool = ExternalTool.require("promtool");
        // promtool insists that credentials_file exists; the real one is mounted from the Secret opsdoc-token
        Path copy = tmp.resolve("prometheus");
        Files.createDirectories(copy.resolve("rules"));
        Path token = tmp.resolve("token");
        Files.writeString(token, "not-a-real-token\n");
        String config = Files.readString(PROMETHEUS);
        assertThat(config).contains(TOKEN_PATH);
        Files.writeString(copy.resolve("prometheus.yml"), config.replace(TOKEN_PATH, token.toString()));
        Files.copy(RULES, copy.resolve("rules/opsdoc.rules.yml"));
        ExternalTool.Result r = promtool.run("check", "config", copy.resolve("prometheus.yml").toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 1 rule files found", "is valid prometheus config file syntax");
    }

    @Test
    void alertRulesPassPromtoolAndOpsdocLint() throws IOException {
        ExternalTool.Result r = ExternalTool.require("promtool").run("check", "rules", RULES.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 14 rules found");
        // every runbook_url is an opsdoc page that exists: lint is clean (the one INFO: probe-errors has no check)
        Cli lint = Cli.run("rules", "lint", RULES.toString());
        assertThat(lint.exit()).as(lint.all()).isZero();
        assertThat(lint.out()).startsWith("RULES OK - 14 alerts in 1 file (0 recording rules: PromQL only): 1 INFO")
                .contains("NO_CHECK OpsdocCheckUnknown").doesNotContain("NO_RUNBOOK_URL", "BROKEN", "FOREIGN");
    }

    @Test
    void alertmanagerConfigPassesAmtoolAndPostsToOpsdoc() throws IOException {
        ExternalTool.Result r = ExternalTool.require("amtool").run("check-config", ALERTMANAGER.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
        JsonNode am = YAML.readTree(ALERTMANAGER.toFile());
        JsonNode hook = null;
        for (JsonNode receiver : am.get("receivers")) {
            if (receiver.path("name").asText().equals("opsdoc")) {
                hook = receiver.get("webhook_configs").get(0);
            }
        }
        assertThat(hook).isNotNull();
        assertThat(hook.get("url").asText()).isEqualTo("http://opsdoc.opsdoc.svc:9464/alerts");
        assertThat(hook.get("send_resolved").asBoolean()).isTrue();
        assertThat(hook.get("max_alerts").asInt()).isPositive();
        assertThat(hook.at("/http_config/authorization/credentials_file").asText()).isNotBlank();
        JsonNode route = am.at("/route/routes/0");
        assertThat(route.get("receiver").asText()).isEqualTo("opsdoc");
        assertThat(route.get("continue").asBoolean()).as("the normal routing still pages people").isTrue();
    }

    @Test
    void manifestsHaveTheExpectedKindsAndRunAsNonRoot() throws IOException {
        List<JsonNode> serve = documents(SERVE);
        assertThat(serve).extracting(d -> d.get("kind").asText()).containsExactly("ConfigMap", "Deployment", "Service");
        List<JsonNode> rbac = documents(RBAC);
        assertThat(rbac).extracting(d -> d.get("kind").asText()).contains("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding");
        for (JsonNode d : Stream.concat(serve.stream(), rbac.stream()).toList()) {
            assertThat(d.path("apiVersion").asText()).as("apiVersion of %s", d.get("kind")).isNotBlank();
            assertThat(d.at("/metadata/name").asText()).isNotBlank();
        }

        JsonNode deployment = only(serve, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        String namespace = deployment.at("/metadata/namespace").asText();
        // the Deployment's ServiceAccount is the one rbac.yaml creates and binds: no second copy of the RBAC
        String account = pod.get("serviceAccountName").asText();
        assertThat(rbac).anySatisfy(d -> {
            assertThat(d.get("kind").asText()).isEqualTo("ServiceAccount");
            assertThat(d.at("/metadata/name").asText()).isEqualTo(account);
            assertThat(d.at("/metadata/namespace").asText()).isEqualTo(namespace);
        });
        assertThat(rbac).filteredOn(d -> d.get("kind").asText().endsWith("RoleBinding"))
                .allSatisfy(b -> assertThat(b.at("/subjects/0/name").asText()).isEqualTo(account));
        assertThat(serve).noneMatch(d -> d.get("kind").asText().contains("Role") || d.get("kind").asText().equals("ServiceAccount"));
        assertThat(serve).allSatisfy(d -> assertThat(d.at("/metadata/namespace").asText()).isEqualTo(namespace));

        List<JsonNode> containers = new ArrayList<>();
        pod.path("initContainers").forEach(containers::add);
        pod.get("containers").forEach(containers::add);
        assertThat(containers).isNotEmpty();
        for (JsonNode c : containers) {
            JsonNode sc = c.get("securityContext");
            boolean nonRoot = sc.path("runAsNonRoot").asBoolean(pod.at("/securityContext/runAsNonRoot").asBoolean(false));
            int uid = sc.path("runAsUser").asInt(pod.at("/securityContext/runAsUser").asInt(0));
            assertThat(nonRoot).as("%s runs as non-root", c.get("name")).isTrue();
            assertThat(uid).as("%s has a non-zero uid", c.get("name")).isPositive();
            assertThat(sc.get("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(sc.get("allowPrivilegeEscalation").asBoolean()).isFalse();
            assertThat(sc.at("/capabilities/drop/0").asText()).isEqualTo("ALL");
            assertThat(c.at("/resources/requests/memory").asText()).isNotBlank();
            assertThat(c.at("/resources/limits/memory").asText()).isNotBlank();
        }
        JsonNode opsdoc = containers.get(containers.size() - 1);
        assertThat(opsdoc.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        assertThat(opsdoc.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        List<String> args = new ArrayList<>();
        opsdoc.get("args").forEach(a -> args.add(a.asText()));
        assertThat(args).containsSubsequence("serve", "--listen", "0.0.0.0:9464").containsSubsequence("-c", "/etc/opsdoc/opsdoc.yaml");
        // the token file and the config are mounted from the Secret and the ConfigMap
        String tokenFile = args.get(args.indexOf("--token-file") + 1);
        assertThat(mountedFrom(pod, opsdoc, tokenFile).path("secret").path("secretName").asText()).isEqualTo("opsdoc-token");
        assertThat(mountedFrom(pod, opsdoc, "/etc/opsdoc/opsdoc.yaml").at("/configMap/name").asText())
                .isEqualTo(only(serve, "ConfigMap").at("/metadata/name").asText());
        // the Service selects the pods and exposes the port Prometheus and Alertmanager use
        JsonNode service = only(serve, "Service");
        assertThat(service.at("/metadata/name").asText() + "." + namespace + ".svc:" + service.at("/spec/ports/0/port").asInt())
                .isEqualTo("opsdoc.opsdoc.svc:9464");
        assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/template/metadata/labels"));
    }

    private static JsonNode mountedFrom(JsonNode pod, JsonNode container, String file) {
        for (JsonNode m : container.get("volumeMounts")) {
            if (file.startsWith(m.get("mountPath").asText() + "/")) {
                for (JsonNode v : pod.get("volumes")) {
                    if (v.get("name").asText().equals(m.get("name").asText())) {
                        return v;
                    }
                }
            }
        }
        throw new AssertionError(file + " is not on a mounted volume");
    }

    @Test
    void configMapLoadsAndPrometheusScrapesEveryCheckItRuns() throws IOException {
        List<JsonNode> serve = documents(SERVE);
        Path config = tmp.resolve("opsdoc.yaml");
        Files.writeString(config, only(serve, "ConfigMap").at("/data/opsdoc.yaml").asText());
        OpsdocConfig cfg = ConfigLoader.load(config, CheckRegistry.load());
        assertThat(cfg.warnings()).isEmpty();

        // every password variable the config names is filled from a Secret in the Deployment
        JsonNode container = only(serve, "Deployment").at("/spec/template/spec/containers/0");
        Set<String> fromSecrets = new HashSet<>();
        container.get("env").forEach(e -> {
            if (e.at("/valueFrom/secretKeyRef/name").isTextual()) {
                fromSecrets.add(e.get("name").asText());
            }
        });
        assertThat(fromSecrets).isNotEmpty();
        for (TargetConfig t : cfg.targets().values()) {
            if (t.password() != null) {
                assertThat(t.password().env()).as("%s: passwords come from the environment", t.name()).isNotNull();
                assertThat(fromSecrets).as("%s's password variable is set from a Secret", t.name()).contains(t.password().env());
            }
        }

        // one /probe job per check, on the config's target names, with the multi-target relabelling
        Set<String> scraped = new TreeSet<>();
        JsonNode prometheus = YAML.readTree(PROMETHEUS.toFile());
        for (JsonNode job : prometheus.get("scrape_configs")) {
            assertThat(job.at("/authorization/credentials_file").asText()).as(job.get("job_name").asText()).isEqualTo(TOKEN_PATH);
            if (!job.path("metrics_path").asText().equals("/probe")) {
                assertThat(job.at("/static_configs/0/targets/0").asText()).isEqualTo("opsdoc.opsdoc.svc:9464");
                continue;
            }
            assertThat(job.at("/params/check")).hasSize(1);
            String check = job.at("/params/check/0").asText();
            JsonNode relabel = job.get("relabel_configs");
            assertThat(relabel.get(0).get("source_labels").get(0).asText()).isEqualTo("__address__");
            assertThat(relabel.get(0).get("target_label").asText()).isEqualTo("__param_target");
            assertThat(relabel.get(1).get("source_labels").get(0).asText()).isEqualTo("__param_target");
            assertThat(relabel.get(1).get("target_label").asText()).isEqualTo("instance");
            assertThat(relabel.get(2).get("target_label").asText()).isEqualTo("__address__");
            assertThat(relabel.get(2).get("replacement").asText()).isEqualTo("opsdoc.opsdoc.svc:9464");
            for (JsonNode target : job.at("/static_configs/0/targets")) {
                TargetConfig t = cfg.targets().get(target.asText());
                assertThat(t).as("scraped target %s is a name in the ConfigMap's opsdoc.yaml", target).isNotNull();
                assertThat(t.checks()).as("target %s runs %s", target, check).containsKey(check);
                scraped.add(target.asText() + " " + check);
            }
        }
        Set<String> configured = new TreeSet<>();
        cfg.targets().forEach((name, t) -> t.checks().keySet().forEach(c -> configured.add(name + " " + c)));
        assertThat(scraped).isEqualTo(configured);
    }
}
