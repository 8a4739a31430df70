package io.opsdoc.checks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.core.report.TextReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** kafka-isr's summaries on clusters the lab cannot hold: 20,000 partitions stay one readable screen. */
class KafkaIsrEvaluationTest {
    private final KafkaIsr check = new KafkaIsr();

    private static Finding finding(Evaluation e, String code) {
        return e.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + e.findings()));
    }

    private static String text(Evaluation e) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new TextReportWriter(NoteCatalog.load(), "en", false).write(io.opsdoc.core.gate.Outcome.of(List.of(Report.of(KafkaIsr.ID,
                "kafka://b0.example:9092", e, 1.0, Instant.now()))), new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void twentyThousandPartitionsWithOneBrokerDownMakeAFewFindingsNamingTheBroker() throws Exception {
        TopicsFacts facts = SyntheticFacts.cluster(6, 1000, 20, Set.of(4));
        int onBroker4 = (int) facts.topics().stream().flatMap(t -> t.partitions().stream())
                .filter(p -> p.replicas().contains(4)).count();
        assertThat(onBroker4).isBetween(9_000, 11_000);
        long t0 = System.nanoTime();
        Evaluation e = SyntheticFacts.evaluate(check, facts, Map.of());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(millis).as("evaluation time").isLessThan(5_000);
        assertThat(e.findings()).extracting(Finding::code)
                .containsExactlyInAnyOrder("UNDER_REPLICATED", "AT_MIN_ISR", "REPLICA_ON_DEAD_BROKER", "NOT_PREFERRED_LEADER");
        Finding urp = finding(e, "UNDER_REPLICATED");
        assertThat(urp.evidence()).containsEntry("partitions", onBroker4).containsEntry("topics", 1000);
        assertThat(urp.evidence().get("common_factor").toString()).isEqualTo("broker 4 (b4.example:9092, fenced)");
        assertThat(urp.summary()).contains("broker 4 (b4.example:9092, fenced) is missing from the ISR of all " + onBroker4 + ": the common factor");
        assertThat(finding(e, "REPLICA_ON_DEAD_BROKER").subject()).isEqualTo("broker 4");
        // preferred leaders on the dead broker cannot move back: INFO, not WARNING
        assertThat(finding(e, "NOT_PREFERRED_LEADER").severity()).isEqualTo(Severity.INFO);

        String text = text(e);
        assertThat(text.lines().count()).as(text).isLessThan(80);
        assertThat(text).contains("(+" + (onBroker4 - 8) + " more; all in --format json)");
        // the full list is in JSON
        String json = Json.mapper().writeValueAsString(urp);
        assertThat(json.split("\"partition\"", -1).length - 1).isEqualTo(onBroker4);
    }

    @Test
    void twoBrokersDownPutsPartitionsUnderMinIsrAndNamesBoth() {
        Evaluation e = SyntheticFacts.evaluate(check, SyntheticFacts.cluster(3, 10, 10, Set.of(1, 2)), Map.of());
        Finding under = finding(e, "UNDER_MIN_ISR");
        assertThat(under.evidence()).containsEntry("partitions", 100);
        assertThat(under.summary()).contains("broker 1 (").contains("broker 2 (").contains("the common factors");
        assertThat(e.findings()).extracting(Finding::code).doesNotContain("AT_MIN_ISR", "OFFLINE_PARTITION");
    }

    @Test
    void worstTopicsComeFirstAndTheRestIsCounted() {
        TopicsFacts healthy = SyntheticFacts.cluster(3, 8, 4, Set.of());
        List<TopicFacts> topics = new ArrayList<>();
        for (int i = 0; i < healthy.topics().size(); i++) {
            TopicFacts t = healthy.topics().get(i);
            List<PartitionFacts> ps = new ArrayList<>();
            for (PartitionFacts p : t.partitions()) {
                // topic i has i partitions out of sync (replica 3 missing)
                boolean out = p.partition() < Math.min(i, t.partitions().size());
                ps.add(out ? new PartitionFacts(p.partition(), p.leader(), p.replicas(), p.isr().subList(0, 2)) : p);
            }
            topics.add(new TopicFacts(t.name(), t.internal(), t.configs(), ps));
        }
        TopicsFacts facts = new TopicsFacts("x", healthy.brokers(), true, 0, healthy.brokerConfigs(), topics);
        Evaluation e = SyntheticFacts.evaluate(check, facts, Map.of("worst-topics", "3"));
        Finding urp = finding(e, "UNDER_REPLICATED");
        assertThat(urp.evidence().get("worst_topics").toString())
                .isEqualTo("topic-0004 (4 of 4), topic-0005 (4 of 4), topic-0006 (4 of 4), ... (4 more topics)");
        assertThat(urp.evidence()).doesNotContainKey("common_factor");
        assertThat(urp.severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void healthyFactsHaveNoFindingsAndTheTopicFilterApplies() {
        assertThat(SyntheticFacts.evaluate(check, SyntheticFacts.cluster(3, 5, 5, Set.of()), Map.of()).findings()).isEmpty();
        Evaluation filtered = SyntheticFacts.evaluate(check, SyntheticFacts.cluster(3, 5, 5, Set.of(2)),
                Map.of("topics", "nothing-matches"));
        assertThat(filtered.findings()).isEmpty();
        assertThat(filtered.metrics()).filteredOn(m -> m.name().equals("partitions")).singleElement()
                .satisfies(m -> assertThat(m.value()).isZero());
    }
}
