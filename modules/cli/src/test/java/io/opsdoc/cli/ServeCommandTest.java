package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** opsdoc serve's flags fail before anything listens, with exit 64 and one clear line. */
class ServeCommandTest {
    @Test
    void helpListsTheAlertAndProtectionOptions() {
        Cli h = Cli.run("serve", "--help");
        assertThat(h.exit()).isZero();
        assertThat(h.out()).contains("POST /alerts").contains("--alert-wait").contains("--tls-keystore").contains("--rate-limit")
                .contains("--max-body").contains("--public-url").contains("--allow-targets").contains("--max-probes")
                .contains("--max-queued-per-target");
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertThat(Cli.run("serve", "--listen", "nowhere")).satisfies(c -> {
            assertThat(c.exit()).isEqualTo(64);
            assertThat(c.err()).contains("--listen must be HOST:PORT");
        });
        assertThat(Cli.run("serve", "--listen", "127.0.0.1:0", "--alert-wait", "soon")).satisfies(c -> {
            assertThat(c.exit()).isEqualTo(64);
            assertThat(c.err()).contains("--alert-wait");
            assertThat(c.clean()).isTrue();
        });
        assertThat(Cli.run("serve", "--listen", "127.0.0.1:0", "--max-body", "lots").exit()).isEqualTo(64);
        assertThat(Cli.run("serve", "--listen", "127.0.0.1:0", "--lang", "fr").err()).contains("--lang must be en or zh");
        assertThat(Cli.run("serve", "--listen", "127.0.0.1:0", "--tls-keystore", "/no/such.p12").err()).contains("cannot read it");
        assertThat(Cli.run("serve", "--listen", "127.0.0.1:0", "--allow-targets", "10.0.0.0/33")).satisfies(c -> {
            assertThat(c.exit()).isEqualTo(64);
            assertThat(c.err()).contains("--allow-targets entry '10.0.0.0/33'");
        });
        assertThat(Cli.run("serve", "--listen", "127.0.0.1:0", "--max-probes", "0").err()).contains("--max-probes must be at least 1");
        assertThat(Cli.run(Map.of(), "serve", "--listen", "127.0.0.1:0", "--token-env", "NOPE_NOT_SET").err())
                .contains("NOPE_NOT_SET: that environment variable is not set");
    }
}
