package io.opsdoc.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The documented rule: a window never makes --timeout useless; it shrinks, keeping a reserve for the reads after it. */
class SamplingWindowTest {

    private static long fit(long requestedMs, long remainingMs) {
        return SamplingWindow.fit(Duration.ofMillis(requestedMs), Duration.ofMillis(remainingMs)).toMillis();
    }

    @Test
    void aWindowThatFitsIsKept() {
        assertThat(fit(2_000, 9_900)).isEqualTo(2_000);
        assertThat(fit(2_000, 3_000)).isEqualTo(2_000);
    }

    @Test
    void theDefaultWindowShrinksToFitAShortTimeoutWithASecondKeptBack() {
        // redis-timeouts redis://h --timeout 3s: about 2.9 s left after connecting
        assertThat(fit(2_000, 2_900)).isEqualTo(1_900);
        assertThat(fit(2_000, 2_000)).isEqualTo(1_000);
    }

    @Test
    void belowTwoSecondsHalfOfWhatIsLeftIsKeptBack() {
        assertThat(fit(2_000, 1_000)).isEqualTo(500);
        assertThat(fit(2_000, 300)).isEqualTo(150);
    }

    @Test
    void nothingLeftMeansNoWindow() {
        assertThat(fit(2_000, 0)).isZero();
        assertThat(fit(2_000, -5)).isZero();
    }
}
