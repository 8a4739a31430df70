package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.lab.Ports;
import io.opsdoc.lab.SilentTcpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator expects of any Unix and Nagios-plugin tool: -t, -V, --quiet, NO_COLOR, config and env defaults. */
class ConventionsTest {
    @TempDir
    Path tmp;

    @Test
    void versionOnEveryCommand() {
        for (String command : new String[] {"check", "gate", "list", "explain", "grants", "replay", "serve", "rules"}) {
            Cli c = Cli.run(command, "-V");
            assertThat(c.exit()).as(command + " -V").isZero();
            assertThat(c.out()).as(command + " -V").startsWith("opsdoc ");
        }
    }

    @Test
    void shortTimeoutAndEnvironmentTimeoutBoundTheCheck() throws Exception {
        try (SilentTcpServer silent = SilentTcpServer.start()) {
            String target = "mysql://monitor@127.0.0.1:" + silent.port();
            Cli t = Cli.run("check", "mysql-replication", target, "-t", "1s", "--format", "nagios");
            assertThat(t.exit()).isEqualTo(3);
            assertThat(t.out()).contains("TIMEOUT");
            assertThat(t.millis()).isLessThan(5000);
            Cli env = Cli.run(Map.of("OPSDOC_TIMEOUT", "1s"), "check", "mysql-replication", target, "--format", "nagios");
            assertThat(env.exit()).isEqualTo(3);
            assertThat(env.millis()).isLessThan(5000);
        }
        assertThat(Cli.run(Map.of("OPSDOC_TIMEOUT", "soon"), "check", "mysql-replication", "mysql://m@h").exit()).isEqualTo(64);
    }

    @Test
    void gateTakesTheNagiosTimeoutOption() throws Exception {
        try (SilentTcpServer silent = SilentTcpServer.start()) {
            Path cfg = Files.writeString(tmp.resolve("g.yaml"), "version: 1\ndefaults: {timeout: 60s}\ntargets:\n  db:\n"
                    + "    uri: mysql://monitor@127.0.0.1:" + silent.port() + "\n    checks: [mysql-replication]\n");
            Cli g = Cli.run("gate", "-c", cfg.toString(), "-t", "1s", "--format", "nagios");
            assertThat(g.exit()).isEqualTo(3);
            assertThat(g.out()).contains("TIMEOUT");
            assertThat(g.millis()).isLessThan(10_000);
        }
        assertThat(Cli.run("gate", "-c", "../../docs/examples/opsdoc.yaml", "-t", "never").exit()).isEqualTo(64);
    }

    @Test
    void quietPrintsNothingButKeepsTheExitCodeAndReportFiles() throws Exception {
        Path json = tmp.resolve("r.json");
        Cli q = Cli.run("check", "mysql-replication", "mysql://monitor@127.0.0.1:" + Ports.closedPort(), "-q",
                "--report", "json=" + json);
        assertThat(q.exit()).isEqualTo(3);
        assertThat(q.out()).isEmpty();
        ReportSchema.assertValid(Files.readString(json));
        assertThat(Cli.run("check", "mysql-replication", "mysql://m@h", "-q", "--format", "xml").exit()).isEqualTo(64);
    }

    @Test
    void onlyANonEmptyNoColorDisablesColour() {
        assertThat(OutputOptions.noColorRequested(Map.of("NO_COLOR", "1"))).isTrue();
        assertThat(OutputOptions.noColorRequested(Map.of("NO_COLOR", ""))).isFalse();
        assertThat(OutputOptions.noColorRequested(Map.of())).isFalse();
    }

    @Test
    void configComesFromOpsdocConfigThenTheSearchPath() throws Exception {
        Path xdg = tmp.resolve("xdg");
        Files.createDirectories(xdg.resolve("opsdoc"));
        Path userConfig = Files.writeString(xdg.resolve("opsdoc/opsdoc.yaml"), "version: 1\ntargets: {}\n");
        Map<String, String> env = new HashMap<>(Map.of("XDG_CONFIG_HOME", xdg.toString()));
        EnvironmentDefaults defaults = new EnvironmentDefaults(env);
        assertThat(defaults.searchPath()).containsExactly(Path.of("opsdoc.yaml"), userConfig, Path.of("/etc/opsdoc/opsdoc.yaml"));
        if (!Files.exists(Path.of("opsdoc.yaml"))) {
            assertThat(defaults.configFile()).isEqualTo(userConfig.toString());
        }
        env.put("OPSDOC_CONFIG", "/somewhere/else.yaml");
        assertThat(defaults.configFile()).isEqualTo("/somewhere/else.yaml");
        env.put("OPSDOC_CONFIG", "");
        assertThat(new EnvironmentDefaults(Map.of("HOME", "/home/u")).searchPath()).contains(Path.of("/home/u/.config/opsdoc/opsdoc.yaml"));

        Cli gate = Cli.run(Map.of("OPSDOC_CONFIG", tmp.resolve("missing.yaml").toString()), "gate");
        assertThat(gate.exit()).isEqualTo(64);
        assertThat(gate.err()).contains("missing.yaml");
    }

    @Test
    void completionScriptCoversTheCommands() {
        Cli c = Cli.run("generate-completion");
        assertThat(c.exit()).isZero();
        assertThat(c.out()).contains("complete -F", "check", "gate", "--timeout", "--format");
        assertThat(Cli.run("--help").out()).doesNotContain("gen-manpage");
    }
}
