package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** `opsdoc lab --suite http`: every HTTP scenario induces its fault for real and gets the finding it expects. */
@Tag("lab")
class LabCommandHttpTest {

    @Test
    void everyHttpScenarioFindsWhatItExpects() {
        Cli c = Cli.run("lab", "--suite", "http");
        System.out.println(c.out()); // kept in the surefire report: what a newcomer sees
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("[http  1/").contains("http-upstream-stopped").contains("HTTP_502")
                .contains("HTTP_504").contains("CERT_EXPIRED")
                .containsPattern("(\\d+) scenarios, \\1 as expected, 0 not");
    }
}
