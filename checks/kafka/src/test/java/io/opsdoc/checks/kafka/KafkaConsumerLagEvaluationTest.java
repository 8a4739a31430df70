package io.opsdoc.checks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two-sample rules of kafka-consumer-lag on recorded samples (10 s apart). */
class KafkaConsumerLagEvaluationTest {
    private final KafkaConsumerLag check = new KafkaConsumerLag();

    private Evaluation eval(String state, int members, GroupsFacts.PartitionOffsets... parts) {
        return SyntheticFacts.evaluate(check, new GroupsFacts(0, 10_000,
                List.of(new GroupsFacts.GroupFacts("g", state, members, List.of(parts)))), Map.of());
    }

    private static List<String> codes(Evaluation e) {
        return e.findings().stream().map(Finding::code).toList();
    }

    @Test
    void catchingUpIsHealthyEvenWithALargeLag() {
        // 10,000 behind but shrinking: committed +2,000, written +1,000
        Evaluation e = eval("Stable", 3, new GroupsFacts.PartitionOffsets("t", 0, 0L, 10_000L, 2_000L, 11_000L));
        assertThat(e.findings()).isEmpty();
        assertThat(e.metrics()).filteredOn(m -> m.name().equals("lag_seconds_estimate")).singleElement()
                .satisfies(m -> assertThat(m.value()).isEqualTo(90.0));
    }

    @Test
    void stoppedIsCriticalWhileTheLagGrows() {
        Evaluation e = eval("Empty", 0, new GroupsFacts.PartitionOffsets("t", 0, 5L, 10L, 5L, 30L));
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("STOPPED");
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.summary()).contains("growing");
        });
    }

    @Test
    void oneStuckPartitionAmongProgressingOnesIsNotAStall() {
        Evaluation e = eval("Stable", 2, new GroupsFacts.PartitionOffsets("t", 0, 5L, 10L, 5L, 10L),
                new GroupsFacts.PartitionOffsets("t", 1, 5L, 10L, 9L, 12L));
        assertThat(codes(e)).doesNotContain("STALLED");
    }

    @Test
    void noLagMeansNothingToReportEvenWithoutMembers() {
        assertThat(eval("Empty", 0, new GroupsFacts.PartitionOffsets("t", 0, 10L, 10L, 10L, 10L)).findings()).isEmpty();
    }

    @Test
    void aRewindIsReportedAlongsideTheLagItCreates() {
        Evaluation e = eval("Empty", 0, new GroupsFacts.PartitionOffsets("t", 0, 100L, 100L, 40L, 100L));
        assertThat(codes(e)).containsExactly("REWIND", "STOPPED");
        assertThat(e.findings().get(0).summary()).contains("(60 messages back)");
    }
}
