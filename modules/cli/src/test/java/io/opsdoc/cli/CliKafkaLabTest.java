package io.opsdoc.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Json;
import io.opsdoc.lab.kafka.KafkaClusterLab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `opsdoc check kafka-isr` end to end against a real 3-broker KRaft cluster. */
@Tag("lab")
class CliKafkaLabTest {
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
    void healthyClusterExitsZero() {
        Cli c = Cli.run("check", "kafka-isr", lab.uri(), "--format", "nagios");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).startsWith("KAFKA-ISR OK - no findings |").contains("under_replicated_partitions=0");
    }

    @Test
    void oneBrokerStoppedExitsCriticalNamesTheBrokerAndLinksTheNotes() {
        int victim = lab.stopOneBroker();
        Cli c = Cli.run("check", "kafka-isr", lab.uri());
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        assertThat(c.out().lines().findFirst().orElseThrow())
                .startsWith("CRITICAL kafka-isr on " + lab.uri() + ": AT_MIN_ISR")
                .contains("UNDER_REPLICATED");
        assertThat(c.out()).contains("broker " + victim + " (").contains("the common factor")
                .contains("more:     opsdoc explain kafka-isr#UNDER_REPLICATED")
                .contains("more:     opsdoc explain kafka-isr#AT_MIN_ISR")
                .contains("runbook:  Some partitions have replicas outside their in-sync replica set")
                .doesNotContain("(note ");
        assertThat(c.clean()).as(c.all()).isTrue();
    }

    @Test
    void twoBrokersStoppedIsUnderMinIsrWithTheFullListInJson() throws Exception {
        lab.stopTwoBrokers();
        Cli c = Cli.run("check", "kafka-isr", lab.uri(), "--format", "json");
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        JsonNode doc = Json.mapper().readTree(c.out());
        JsonNode under = null;
        for (JsonNode f : doc.get("reports").get(0).get("findings")) {
            if (f.get("code").asText().equals("UNDER_MIN_ISR")) {
                under = f;
            }
        }
        assertThat(under).as(c.out()).isNotNull();
        assertThat(under.get("note").asText()).isEqualTo("kafka/replication-isr#under-min-isr");
        int partitions = under.get("evidence").get("partitions").asInt();
        assertThat(under.get("evidence").get("partition_list")).hasSize(partitions);
        assertThat(under.get("evidence").get("partition_list").get(0).get("isr")).hasSize(1);
    }

    @Test
    void grantsListTheKafkaAcls() {
        Cli c = Cli.run("grants", "kafka-isr");
        assertThat(c.exit()).isZero();
        assertThat(c.out()).contains("kafka-acls.sh --bootstrap-server BROKER:9092")
                .contains("--operation DescribeConfigs --cluster").contains("--operation Describe --operation DescribeConfigs --topic '*'");
    }

    @Test
    void explainPrintsTheNoteSectionOffline() {
        Cli c = Cli.run("explain", "kafka-isr#UNDER_MIN_ISR");
        assertThat(c.exit()).as(c.all()).isZero();
        assertThat(c.out()).contains("NOT_ENOUGH_REPLICAS");
    }
}
