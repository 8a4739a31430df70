package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Resource quantities parse and print as the API server writes them. */
class QuantitiesTest {

    @Test
    void quantitiesParseLikeTheApiServer() {
        assertThat(Quantities.millicores("250m")).isEqualTo(250);
        assertThat(Quantities.millicores("1.5")).isEqualTo(1500);
        assertThat(Quantities.bytes("512Mi")).isEqualTo(512L << 20);
        assertThat(Quantities.bytes("2G")).isEqualTo(2_000_000_000L);
        assertThat(Quantities.bytes("1e3")).isEqualTo(1000);
        assertThat(Quantities.memory(15L << 30)).isEqualTo("15Gi");
        assertThat(Quantities.cpu(3800)).isEqualTo("3800m");
    }
}
