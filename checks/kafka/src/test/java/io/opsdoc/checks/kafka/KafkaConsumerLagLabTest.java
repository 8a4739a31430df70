package io.opsdoc.checks.kafka;

import static io.opsdoc.checks.kafka.KafkaLabChecks.codes;
import static io.opsdoc.checks.kafka.KafkaLabChecks.finding;
import static io.opsdoc.checks.kafka.KafkaLabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.lab.kafka.KafkaClusterLab;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every code of kafka-consumer-lag from a real consumer group misbehaving on the lab cluster, two samples 2 s apart. */
class KafkaConsumerLagLabTest {
    private static KafkaClusterLab lab;
    private final KafkaConsumerLag check = new KafkaConsumerLag();

    @BeforeAll
    static void startLab() {
        lab = KafkaClusterLab.shared();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    private Report check(String group) {
        return run(check, lab.uri(), Map.of("window", "2s", "groups", group));
    }

    @Test
    void aGroupThatKeepsUpHasNoFindings() {
        lab.caughtUpConsumerGroup();
        Report r = check(KafkaClusterLab.GROUP_CAUGHT_UP);
        assertThat(r.findings()).isEmpty();
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("lag_messages")).singleElement()
                .satisfies(m -> {
                    assertThat(m.value()).isZero();
                    assertThat(m.labels()).containsEntry("group", KafkaClusterLab.GROUP_CAUGHT_UP);
                });
    }

    @Test
    void aGroupWhoseConsumersShutDownIsStopped() {
        lab.stoppedConsumerGroup();
        Report r = check(KafkaClusterLab.GROUP_STOPPED);
        Finding f = finding(r, "STOPPED");
        assertThat(f.subject()).isEqualTo(KafkaClusterLab.GROUP_STOPPED);
        assertThat(f.evidence()).containsEntry("members", 0).containsEntry("lag_after", 20L).containsEntry("state", "Empty");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(codes(r)).containsExactly("STOPPED");
    }

    @Test
    void aGroupThatHoldsItsPartitionsButCommitsNothingIsStalled() {
        lab.stalledConsumerGroup();
        Report r = check(KafkaClusterLab.GROUP_STALLED);
        Finding f = finding(r, "STALLED");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("members", 1).containsEntry("lag_after", 20L);
        assertThat(codes(r)).containsExactly("STALLED");
    }

    @Test
    void aGroupSlowerThanItsProducersIsLagging() {
        lab.slowConsumerGroup();
        Report r = check(KafkaClusterLab.GROUP_SLOW);
        Finding f = finding(r, "LAGGING");
        assertThat((Double) f.evidence().get("produced_per_s")).isGreaterThan((Double) f.evidence().get("committed_per_s"));
        assertThat((Double) f.evidence().get("committed_per_s")).isPositive();
        assertThat((Long) f.evidence().get("lag_after")).isGreaterThan((Long) f.evidence().get("lag_before"));
        assertThat(f.evidence()).containsKey("lag_time_estimate");
        assertThat(codes(r)).doesNotContain("STALLED", "STOPPED");
    }

    @Test
    void aGroupWhoseOffsetsGoBackwardsIsRewound() {
        lab.rewindingConsumerGroup();
        Report r = check(KafkaClusterLab.GROUP_REWINDING);
        Finding f = finding(r, "REWIND");
        assertThat(f.summary()).contains("messages back").contains("consumed again");
        assertThat(codes(r)).doesNotContain("STALLED");
    }

    @Test
    void aWindowLongerThanTheTimeoutShrinksToFitIt() {
        // issue 19's rule (SamplingWindow): the window is fitted into --timeout, never a reason to give up;
        // a shortened window does not decide STALLED
        long t0 = System.nanoTime();
        Report r = run(check, lab.uri(), Map.of("window", "20s"), Duration.ofSeconds(3));
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_500);
        assertThat(codes(r)).doesNotContain("PROBE_FAILED", "TIMEOUT", "STALLED");
    }
}
