package io.opsdoc.checks.kafka;

import org.junit.jupiter.api.Tag;
import static io.opsdoc.checks.kafka.KafkaLabChecks.codes;
import static io.opsdoc.checks.kafka.KafkaLabChecks.finding;
import static io.opsdoc.checks.kafka.KafkaLabChecks.metric;
import static io.opsdoc.checks.kafka.KafkaLabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.lab.kafka.KafkaClusterLab;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every finding code of kafka-isr from a real fault induced on a 3-broker KRaft cluster (RF 3,
 * min.insync.replicas 2), and none on the healthy cluster.
 */
@Tag("lab")
class KafkaIsrLabTest {
    private static KafkaClusterLab lab;
    private final KafkaIsr check = new KafkaIsr();

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
    void healthyClusterHasNoFindings() {
        Report r = check();
        assertThat(r.findings()).isEmpty();
        assertThat(r.status()).isEqualTo(Severity.OK);
        assertThat(metric(r, "brokers_live")).isEqualTo(3.0);
        assertThat(metric(r, "partitions")).isGreaterThanOrEqualTo(KafkaClusterLab.ORDERS_PARTITIONS + KafkaClusterLab.PAYMENTS_PARTITIONS);
        assertThat(metric(r, "under_replicated_partitions")).isZero();
    }

    @Test
    void oneBrokerDownIsUnderReplicatedAtMinIsrAndNamesTheBroker() throws Exception {
        int victim = lab.stopOneBroker();
        Report r = check();
        assertThat(r.status()).isEqualTo(Severity.CRITICAL);
        Finding urp = finding(r, "UNDER_REPLICATED");
        assertThat(urp.severity()).isEqualTo(Severity.WARNING);
        assertThat(urp.summary()).contains("broker " + victim).contains("the common factor");
        assertThat(urp.evidence().get("common_factor").toString()).startsWith("broker " + victim);
        Finding atMin = finding(r, "AT_MIN_ISR");
        assertThat(atMin.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(atMin.evidence().get("worst_topics").toString()).contains("orders (");
        Finding dead = finding(r, "REPLICA_ON_DEAD_BROKER");
        assertThat(dead.subject()).isEqualTo("broker " + victim);
        assertThat(dead.evidence()).containsEntry("registered", true).containsEntry("fenced", true);
        assertThat(codes(r)).doesNotContain("UNDER_MIN_ISR", "OFFLINE_PARTITION", "RF_EXCEEDS_BROKERS");
        assertThat(metric(r, "brokers_live")).isEqualTo(2.0);
        // the full list is in JSON, structured
        String json = Json.mapper().writeValueAsString(urp);
        assertThat(json).contains("\"partition_list\" : [ {").contains("\"isr\"");
    }

    @Test
    void twoBrokersDownIsUnderMinIsr() {
        var victims = lab.stopTwoBrokers();
        Report r = check();
        Finding under = finding(r, "UNDER_MIN_ISR");
        assertThat(under.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(under.summary()).contains("broker " + victims.get(0)).contains("broker " + victims.get(1));
        assertThat(codes(r)).contains("UNDER_REPLICATED").doesNotContain("AT_MIN_ISR");
    }

    @Test
    void singleReplicaPartitionOnAStoppedBrokerIsOffline() {
        int victim = lab.offlinePartition();
        Report r = check();
        Finding f = finding(r, "OFFLINE_PARTITION");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("partitions", 1);
        assertThat(f.summary()).contains(KafkaClusterLab.SINGLE_REPLICA_TOPIC).contains("broker " + victim);
    }

    @Test
    void decommissionedBrokerLeavesMoreReplicasThanBrokers() {
        int victim = lab.decommissionBrokerWithoutReassignment();
        Report r = check();
        Finding rf = finding(r, "RF_EXCEEDS_BROKERS");
        assertThat(rf.evidence()).containsEntry("registered_brokers", 2);
        assertThat(rf.summary()).contains("orders (RF 3)");
        Finding dead = finding(r, "REPLICA_ON_DEAD_BROKER");
        assertThat(dead.evidence()).containsEntry("registered", false);
        assertThat(dead.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(dead.summary()).contains("broker " + victim).contains("never return");
    }

    @Test
    void restartedBrokerLeadsNothingUntilPreferredElection() {
        int restarted = lab.leadersMovedAway();
        Report r = check();
        Finding f = finding(r, "NOT_PREFERRED_LEADER");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence().get("preferred_by_broker").toString()).startsWith("broker " + restarted + ": ");
        assertThat(f.evidence().get("leaders_by_broker").toString()).doesNotContain("broker " + restarted + ":");
        assertThat(codes(r)).doesNotContain("UNDER_REPLICATED", "AT_MIN_ISR");
    }

    @Test
    void uncleanElectionEnabledOnATopic() {
        lab.uncleanElectionEnabled(KafkaClusterLab.PAYMENTS);
        Report r = check();
        Finding f = finding(r, "UNCLEAN_ELECTION_ENABLED");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("worst_topics", KafkaClusterLab.PAYMENTS).containsEntry("broker_default", "false");
        assertThat(codes(r)).containsExactly("UNCLEAN_ELECTION_ENABLED");
    }
}
