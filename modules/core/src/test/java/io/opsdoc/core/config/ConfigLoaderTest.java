package io.opsdoc.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.CheckRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final CheckRegistry REGISTRY = CheckRegistry.load();

    @TempDir
    Path dir;

    private OpsdocConfig load(String yaml) throws IOException {
        Path f = dir.resolve("opsdoc.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, REGISTRY);
    }

    private void fails(String yaml, String expected) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }

    @Test
    void readsTargetsChecksParametersSecretsAndWaivers() throws IOException {
        OpsdocConfig c = load("""
                version: 1
                defaults:
                  timeout: 5s
                  concurrency: 4
                  per-target: 1
                targets:
                  db:
                    uri: fake://db1:5
                    password: {env: DB_PW}
                    tags: [prod, db]
                    checks:
                      fake-check:
                        limit: 3
                  other:
                    uri: fake://db2:7
                    timeout: 2s
                    checks: [fake-check]
                waivers:
                  - target: db
                    code: VALUE_HIGH
                    reason: known, fix planned
                    owner: dba
                    expires: 2027-01-31
                """);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.concurrency()).isEqualTo(4);
        assertThat(c.perTarget()).isEqualTo(1);
        assertThat(c.targets()).containsOnlyKeys("db", "other");
        TargetConfig db = c.targets().get("db");
        assertThat(db.checks()).containsEntry("fake-check", Map.of("limit", "3"));
        assertThat(db.tags()).containsExactly("prod", "db");
        assertThat(db.password().resolve(Map.of("DB_PW", "pw")).reveal()).isEqualTo("pw");
        assertThat(c.targets().get("other").timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.waivers()).singleElement().satisfies(w -> assertThat(w.expires()).isEqualTo(LocalDate.of(2027, 1, 31)));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void errorsNameTheLineColumnAndKey() {
        fails("""
                targets:
                  db:
                    uri: fake://db1:5
                    chekcs: [fake-check]
                """, "opsdoc.yaml:4:5: targets.db.chekcs: unknown key 'chekcs'");
        fails("""
                targets:
                  db:
                    uri: fake://db1:5
                    checks:
                      fake-check:
                        limit: lots
                """, "opsdoc.yaml:6:9: targets.db.checks.fake-check.limit: check fake-check, parameter limit: 'lots' is not an integer");
        fails("""
                targets:
                  db:
                    uri: fake://db1:5
                    checks: [fake-check, no-such-check]
                """, ":4:26: targets.db.checks.1: unknown check 'no-such-check'");
        fails("""
                targets:
                  db:
                    uri: db1:5
                    checks: [fake-check]
                """, ":3:5: targets.db.uri: target 'db1:5' has no scheme");
        fails("""
                targets:
                  db:
                    uri: mysql://m@db1
                    checks: [fake-check]
                """, "targets.db.checks.0: check fake-check runs on fake:// targets, not mysql://");
        fails("""
                targets:
                  db: {uri: "fake://x:1", checks: [fake-check]}
                waivers:
                  - target: db
                    code: VALUE_HIGH
                    reason: r
                    owner: o
                    expires: next week
                """, ":8:5: waivers.0.expires: must be a date like 2027-01-31");
        fails("""
                targets:
                  db:
                    uri: fake://x:1
                     checks: [fake-check]
                """, "opsdoc.yaml:4:12: not valid YAML");
        fails("", "the file is empty");
        fails("targets: {}\n", "'targets' must map target names");
    }

    @Test
    void aPlainTextPasswordIsAcceptedWithAWarningThatNeverShowsIt() throws IOException {
        OpsdocConfig c = load("""
                targets:
                  db:
                    uri: fake://x:1
                    password: s3cret-in-file
                    checks: [fake-check]
                """);
        assertThat(c.warnings()).singleElement().asString().contains(":4:5: targets.db.password: a plain-text password")
                .doesNotContain("s3cret-in-file");
        assertThat(c.targets().get("db").password().resolve(Map.of()).reveal()).isEqualTo("s3cret-in-file");
    }

    @Test
    void aMissingPasswordVariableIsAClearError() throws IOException {
        OpsdocConfig c = load("""
                targets:
                  db:
                    uri: fake://x:1
                    password: {env: NOT_SET_HERE}
                    checks: [fake-check]
                """);
        assertThatThrownBy(() -> c.targets().get("db").password().resolve(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(":4:5: targets.db.password: password variable NOT_SET_HERE is not set");
    }

    @Test
    void aMissingFileIsAUsageError() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), REGISTRY)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void readsAlertMappingsAndForwardReceivers() throws IOException {
        OpsdocConfig c = load("""
                targets:
                  db:
                    uri: fake://db1:5
                    alert-instances: ["db1:9104"]
                    checks: [fake-check]
                alerts:
                  OrdersLag: {check: fake-check, target: db}
                  Other: {note: mysql/replication}
                forward:
                  - name: oncall
                    type: dingtalk
                    url: {env: DING_URL}
                    secret: {env: DING_SECRET}
                  - name: archive
                    type: webhook
                    url: http://127.0.0.1:9/hook
                """);
        assertThat(c.targets().get("db").alertInstances()).containsExactly("db1:9104");
        assertThat(c.alerts().get("OrdersLag").note()).as("a check's own note fills in").isNotNull();
        assertThat(c.alerts().get("OrdersLag").target()).isEqualTo("db");
        assertThat(c.forward()).extracting(ForwardConfig::type).containsExactly("dingtalk", "webhook");
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("forward.1.url").contains("plain-text URL"));
    }

    @Test
    void badAlertMappingsAndReceiversNameTheKey() {
        String target = "targets:\n  db:\n    uri: fake://db1:5\n    checks: [fake-check]\n";
        fails(target + "alerts:\n  X: {}\n", "alerts.X: give at least one of note, check, target");
        fails(target + "alerts:\n  X: {check: nope}\n", "unknown check 'nope'");
        fails(target + "alerts:\n  X: {target: other}\n", "no target named 'other'");
        fails(target + "forward:\n  - {name: a, type: teams, url: http://x}\n", "unknown receiver type 'teams'");
        fails(target + "forward:\n  - {name: a, type: slack, url: http://x, secret: s}\n", "only dingtalk and feishu");
        fails(target + "forward:\n  - {name: a, type: slack}\n", "missing 'url'");
    }
}
