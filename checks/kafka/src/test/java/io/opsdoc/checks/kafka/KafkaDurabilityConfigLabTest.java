package io.opsdoc.checks.kafka;

import org.junit.jupiter.api.Tag;
import static io.opsdoc.checks.kafka.KafkaLabChecks.codes;
import static io.opsdoc.checks.kafka.KafkaLabChecks.finding;
import static io.opsdoc.checks.kafka.KafkaLabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.lab.kafka.KafkaClusterLab;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every code of kafka-durability-config from a real misconfiguration of the lab cluster; none when healthy. */
@Tag("lab")
class KafkaDurabilityConfigLabTest {
    private static KafkaClusterLab lab;
    private final KafkaDurabilityConfig check = new KafkaDurabilityConfig();

    @BeforeAll
    static void startLab() {
        lab = KafkaClusterLab.shared();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    private Report check() {
        return run(check, lab.uri(), Map.of());
    }

    @Test
    void healthyClusterIsDurable() {
        Report r = check();
        assertThat(r.findings()).isEmpty();
        assertThat(r.status()).isEqualTo(Severity.OK);
    }

    @Test
    void singleReplicaTopic() {
        lab.singleReplicaTopic();
        Report r = check();
        Finding f = finding(r, "REPLICATION_FACTOR_1");
        assertThat(f.evidence()).containsEntry("topics", 1).containsEntry("worst_topics", KafkaClusterLab.SINGLE_REPLICA_TOPIC);
        assertThat(codes(r)).containsExactly("REPLICATION_FACTOR_1");
    }

    @Test
    void minInsyncReplicasOneOnAnRf3Topic() {
        lab.minInsyncReplicasOne(KafkaClusterLab.PAYMENTS);
        Finding f = finding(check(), "MIN_ISR_1");
        assertThat(f.summary()).contains("payments (RF 3, min.insync.replicas 1)");
        assertThat(f.evidence()).containsEntry("broker_default", "2");
    }

    @Test
    void minInsyncReplicasEqualToTheReplicationFactor() {
        lab.minInsyncReplicasEqualToReplicationFactor(KafkaClusterLab.ORDERS);
        Finding f = finding(check(), "MIN_ISR_EQUALS_RF");
        assertThat(f.summary()).contains("orders (RF 3, min.insync.replicas 3)");
    }

    @Test
    void uncleanElection() {
        lab.uncleanElectionEnabled(KafkaClusterLab.ORDERS);
        Finding f = finding(check(), "UNCLEAN_ELECTION_ENABLED");
        assertThat(f.evidence()).containsEntry("worst_topics", KafkaClusterLab.ORDERS);
        assertThat(f.note()).isEqualTo("kafka/message-loss#unclean-election-enabled");
    }

    @Test
    void consumerOffsetsOnOneReplica() {
        lab.consumerOffsetsOnOneReplica();
        Finding f = finding(check(), "INTERNAL_TOPIC_LOW_RF");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.summary()).contains("__consumer_offsets (RF 1)");
        assertThat(f.evidence()).containsEntry("offsets.topic.replication.factor", "3");
    }
}
