package io.opsdoc.checks.kafka;

import static io.opsdoc.checks.kafka.KafkaLabChecks.metric;
import static io.opsdoc.checks.kafka.KafkaLabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Report;
import io.opsdoc.lab.kafka.ConsumerGroupFaults;
import io.opsdoc.lab.kafka.KafkaClusterLab;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the scenarios ({@code KafkaScenarios}) cannot say as data: the values of the metrics the checks export for
 * the healthy lab cluster (the scenarios only require that they are there). Every fault-to-code promise is a
 * scenario, run by {@link KafkaScenariosTest}.
 */
@Tag("lab")
class KafkaLabMetricsTest {
    private static KafkaClusterLab lab;

    @BeforeAll
    static void startLab() {
        lab = KafkaClusterLab.shared();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    @Test
    void isrCountsBrokersAndPartitions() {
        Report r = run(new KafkaIsr(), lab.uri(), Map.of());
        assertThat(metric(r, "brokers_live")).isEqualTo(3.0);
        assertThat(metric(r, "partitions"))
                .isGreaterThanOrEqualTo(KafkaClusterLab.ORDERS_PARTITIONS + KafkaClusterLab.PAYMENTS_PARTITIONS);
        assertThat(metric(r, "under_replicated_partitions")).isZero();
    }

    @Test
    void clusterCountsTheQuorumAndEachBrokersLogDir() {
        Report r = run(new KafkaCluster(), lab.uri(), Map.of("expected-brokers", "3"));
        assertThat(metric(r, "brokers_live")).isEqualTo(3.0);
        assertThat(metric(r, "quorum_voters")).isEqualTo(1.0);
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("log_dir_used_percent")).hasSize(3)
                .allSatisfy(m -> assertThat(m.labels()).containsKeys("broker", "dir"));
    }

    @Test
    void lagIsLabelledWithTheGroup() {
        lab.groups().caughtUp();
        Report r = run(new KafkaConsumerLag(), lab.uri(), Map.of("window", "2s", "groups",
                ConsumerGroupFaults.GROUP_CAUGHT_UP));
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("lag_messages")).singleElement().satisfies(m -> {
            assertThat(m.value()).isZero();
            assertThat(m.labels()).containsEntry("group", ConsumerGroupFaults.GROUP_CAUGHT_UP);
        });
    }
}
