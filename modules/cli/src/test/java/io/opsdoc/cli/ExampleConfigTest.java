package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The documented example config is valid as written. */
class ExampleConfigTest {
    @Test
    void docsExampleLoads() {
        OpsdocConfig c = ConfigLoader.load(Path.of("../../docs/examples/opsdoc.yaml"), CheckRegistry.load());
        assertThat(c.targets()).containsOnlyKeys("db-replica-1", "db-replica-delayed", "db-primary");
        assertThat(c.warnings()).isEmpty();
        assertThat(c.waivers()).hasSize(1);
    }
}
