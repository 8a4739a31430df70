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

    /** No forwarding variable set: serve starts, answers /healthz, and says which receivers it left out. */
    @Test
    void serveStartsWithTheExampleAndNoForwardingVariables() throws Exception {
        int port = io.opsdoc.lab.Ports.freePort();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Thread serve = new Thread(() -> Opsdoc.run(new String[] {"serve", "-c", "../../docs/examples/opsdoc.yaml",
                "--listen", "127.0.0.1:" + port}, java.util.Map.of(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)), "serve-example");
        serve.setDaemon(true);  // serve runs until the JVM ends: the test only needs it up
        serve.start();
        var http = java.net.http.HttpClient.newHttpClient();
        int status = 0;
        for (int i = 0; i < 100 && status != 200; i++) {
            try {
                status = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException e) {
                assertThat(serve.isAlive()).as("serve exited: " + err).isTrue();
                Thread.sleep(100);
            }
        }
        assertThat(status).as(err.toString()).isEqualTo(200);
        assertThat(err.toString()).contains("forward receiver 'dba-oncall' disabled").contains("forward receiver 'archive' disabled");
    }
}
