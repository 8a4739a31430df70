package io.opsdoc.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From an alert's labels to a config target: exporter addresses, aliases, hosts, bare URIs and ambiguity. */
class AlertTargetsTest {
    @TempDir
    Path dir;

    private AlertTargets targets(String yaml) throws Exception {
        Path f = dir.resolve("opsdoc.yaml");
        Files.writeString(f, yaml);
        OpsdocConfig c = ConfigLoader.load(f, CheckRegistry.load());
        return new AlertTargets(c);
    }

    @Test
    void labelsFindTheirTargetOrSayWhyNot() throws Exception {
        AlertTargets t = targets("""
                targets:
                  db1-replica:
                    uri: mysql://monitor@db1.internal:3306
                    alert-instances: ["10.0.0.5:9104"]
                    checks: [mysql-replication]
                  db2-replica:
                    uri: mysql://monitor@db2.internal:3306
                    checks: [mysql-replication]
                  db2-again:
                    uri: mysql://monitor@db2.internal:3307
                    checks: [mysql-replication]
                """);
        Check<?> mysql = CheckRegistry.load().require("mysql-replication");
        assertThat(t.choose(mysql, null, Map.of("instance", "10.0.0.5:9104")).target()).isEqualTo("db1-replica");
        assertThat(t.choose(mysql, null, Map.of("instance", "db1.internal:9104")).target()).as("same host, exporter port").isEqualTo("db1-replica");
        assertThat(t.choose(mysql, null, Map.of("opsdoc_target", "db2-again")).target()).isEqualTo("db2-again");
        assertThat(t.choose(mysql, "db2-replica", Map.of("instance", "10.0.0.5:9104")).target()).as("the mapping wins").isEqualTo("db2-replica");

        AlertTargets.Choice ambiguous = t.choose(mysql, null, Map.of("instance", "db2.internal:9104"));
        assertThat(ambiguous.target()).isNull();
        assertThat(ambiguous.why()).contains("several config targets").contains("db2-replica").contains("db2-again");

        AlertTargets.Choice none = t.choose(mysql, null, Map.of("instance", "db9:9104"));
        assertThat(none.target()).isNull();
        assertThat(none.why()).contains("alert-instances: [db9:9104]");

        assertThat(t.choose(mysql, null, Map.of("instance", "mysql://monitor@db7:3306")).target()).isEqualTo("mysql://monitor@db7:3306");
        assertThat(t.choose(mysql, null, Map.of("instance", "mysql://monitor:pw@db7:3306")).target()).as("never a URI with a password").isNull();
        assertThat(t.choose(mysql, null, Map.of("instance", "redis://db7:6379")).target()).as("another scheme").isNull();
    }
}
