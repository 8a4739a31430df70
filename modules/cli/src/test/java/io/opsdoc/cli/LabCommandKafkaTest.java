package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** `opsdoc lab --suite kafka`: every Kafka scenario breaks a real cluster and gets the finding it expects. */
@Tag("lab")
class LabCommandKafkaTest {

    @Test
    void everyKafkaScenarioFindsWhatItExpects() {
        Cli c = Cli.run("lab", "--suite", "kafka");
        System.out.println(c.out()); // kept in the surefire report: what a newcomer sees
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("[kafka  1/").contains("broker-down").contains("AT_MIN_ISR")
                .containsPattern("(\\d+) scenarios, \\1 as expected, 0 not");
        assertThat(c.out()).doesNotContain("Bootstrap metadata").doesNotContain("Formatting");
    }
}
