package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** `opsdoc lab`, the README's first command, really starts servers and reports what each scenario expects. */
class LabCommandTest {

    @Test
    void runsSelectedScenariosAgainstRealServers() {
        Cli c = Cli.run("lab", "--scenario", "healthy", "--scenario", "sql-thread-stopped", "--verbose");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("healthy: healthy replica").contains("OK no findings  -> as expected")
                .contains("CRITICAL SQL_THREAD_STOPPED, LAG_UNKNOWN  -> as expected")
                .contains("more:     opsdoc explain mysql-replication#SQL_THREAD_STOPPED")
                .contains("2 scenarios, 2 as expected, 0 not");
    }

    @Test
    void unknownScenarioIsAUsageError() {
        Cli c = Cli.run("lab", "--scenario", "no-such-scenario");
        assertThat(c.exit()).isEqualTo(64);
        assertThat(c.err()).contains("no such lab suite or scenario: no-such-scenario");
    }
}
