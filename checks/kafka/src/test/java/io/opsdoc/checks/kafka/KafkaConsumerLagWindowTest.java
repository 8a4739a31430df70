package io.opsdoc.checks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SamplingWindow may shorten the 6 s window to fit --timeout. Consumers commit every few seconds, so "nothing committed"
 * over a shorter window is not evidence of a stall: STALLED waits for a full window; the shortening is in the evidence.
 */
class KafkaConsumerLagWindowTest {
    private final KafkaConsumerLag check = new KafkaConsumerLag();
    // members present, lag 5 on the partition, nothing committed between the samples
    private final GroupsFacts.PartitionOffsets stuck = new GroupsFacts.PartitionOffsets("t", 0, 5L, 10L, 5L, 10L);

    private Evaluation eval(long windowMillis) {
        return SyntheticFacts.evaluate(check, new GroupsFacts(0, windowMillis,
                List.of(new GroupsFacts.GroupFacts("g", "Stable", 2, List.of(stuck)))), Map.of());
    }

    @Test
    void aFullWindowWithoutCommitsIsAStall() {
        assertThat(eval(6_000).findings()).extracting(Finding::code).containsExactly("STALLED");
    }

    @Test
    void aShortenedWindowDoesNotDecideStalled() {
        assertThat(eval(1_900).findings()).extracting(Finding::code).doesNotContain("STALLED");
    }

    @Test
    void aShortenedWindowIsVisibleInTheEvidence() {
        // lag growing with consumption: a LAGGING finding carries the evidence of the window it was judged on
        Evaluation e = SyntheticFacts.evaluate(check, new GroupsFacts(0, 1_900, List.of(new GroupsFacts.GroupFacts("g",
                "Stable", 2, List.of(new GroupsFacts.PartitionOffsets("t", 0, 5L, 10L, 6L, 30L))))), Map.of());
        assertThat(e.findings()).singleElement().satisfies(f -> assertThat(f.evidence())
                .containsEntry("window", "1.9s").containsEntry("window_requested", "6.0s"));
    }
}
