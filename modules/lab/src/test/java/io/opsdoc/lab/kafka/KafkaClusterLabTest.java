package io.opsdoc.lab.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Kafka lab's injectors really produce their faults, and heal() really undoes them. */
@Tag("lab")
class KafkaClusterLabTest {
    private static KafkaClusterLab lab;

    @BeforeAll
    static void start() {
        lab = KafkaClusterLab.shared();
    }

    @AfterEach
    void heal() {
        lab.heal();
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    @Test
    void healthyClusterHasFullIsrsAndPreferredLeaders() {
        assertThat(lab.brokerIds()).hasSize(3);
        for (TopicPartitionInfo p : lab.partitions(KafkaClusterLab.ORDERS)) {
            assertThat(ids(p.isr())).containsExactlyInAnyOrderElementsOf(ids(p.replicas()));
            assertThat(p.leader().id()).isEqualTo(p.replicas().get(0).id());
        }
    }

    @Test
    void oneBrokerDownShrinksEveryIsrAndHealRestoresIt() {
        int victim = lab.stopOneBroker();
        for (TopicPartitionInfo p : lab.partitions(KafkaClusterLab.ORDERS)) {
            assertThat(ids(p.isr())).doesNotContain(victim).hasSize(2);
            assertThat(p.leader().id()).isNotEqualTo(victim);
        }
        lab.heal();
        for (TopicPartitionInfo p : lab.partitions(KafkaClusterLab.ORDERS)) {
            assertThat(p.isr()).hasSize(3);
        }
        assertThat(lab.uri()).startsWith("kafka://");
    }

    @Test
    void offlinePartitionHasNoLeader() {
        int victim = lab.offlinePartition();
        TopicPartitionInfo p = lab.partitions(KafkaClusterLab.SINGLE_REPLICA_TOPIC).get(0);
        assertThat(p.leader()).isNull();
        assertThat(ids(p.replicas())).containsExactly(victim);
    }
}
