package io.opsdoc.checks.kafka;

import org.junit.jupiter.api.Tag;
import static io.opsdoc.checks.kafka.KafkaLabChecks.codes;
import static io.opsdoc.checks.kafka.KafkaLabChecks.finding;
import static io.opsdoc.checks.kafka.KafkaLabChecks.metric;
import static io.opsdoc.checks.kafka.KafkaLabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.lab.kafka.KafkaClusterLab;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kafka-cluster against the lab's real KRaft cluster: brokers, metadata quorum, log dirs. */
@Tag("lab")
class KafkaClusterCheckLabTest {
    private static KafkaClusterLab lab;
    private final KafkaCluster check = new KafkaCluster();

    @BeforeAll
    static void startLab() {
        lab = KafkaClusterLab.shared();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    /** Disk thresholds far above what a build machine uses, so only the rule under test can fire. */
    private Report check(String... params) {
        Map<String, String> p = new HashMap<>(Map.of("log-dir-usage-warning", "99.9%", "log-dir-usage-critical", "100%"));
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return run(check, lab.uri(), p);
    }

    @Test
    void healthyClusterHasAllBrokersAQuorumAndRoom() {
        Report r = check("expected-brokers", "3");
        assertThat(r.findings()).isEmpty();
        assertThat(metric(r, "brokers_live")).isEqualTo(3.0);
        assertThat(metric(r, "quorum_voters")).isEqualTo(1.0);
        assertThat(r.metrics()).filteredOn(m -> m.name().equals("log_dir_used_percent")).hasSize(3);
    }

    @Test
    void aStoppedBrokerIsMissing() {
        int victim = lab.stopOneBroker();
        Finding expected = finding(check("expected-brokers", "3"), "BROKER_MISSING");
        assertThat(expected.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(expected.summary()).startsWith("2 of 3 expected brokers are live").contains(victim + " (");
        Finding inferred = finding(check(), "BROKER_MISSING");
        assertThat(inferred.severity()).isEqualTo(Severity.WARNING);
        assertThat(inferred.evidence().get("fenced").toString()).startsWith(victim + " (");
    }

    @Test
    void aStoppedBrokerFallsBehindInTheMetadataQuorum() throws Exception {
        int victim = lab.stopOneBroker();
        Thread.sleep(3_000);
        Report r = check("quorum-lag-warning", "2s");
        Finding f = finding(r, "QUORUM_LAGGING");
        assertThat(f.evidence().get("lagging").toString()).contains("observer " + victim + " (");
        assertThat(codes(check()).contains("QUORUM_LAGGING")).as("not at the default 30 s").isFalse();
    }

    @Test
    void logDirsAboveTheUsageThreshold() {
        Report r = check("log-dir-usage-warning", "0.1%");
        assertThat(r.findings()).filteredOn(f -> f.code().equals("LOG_DIR_FILLING")).hasSize(3)
                .allSatisfy(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.WARNING);
                    assertThat(f.subject()).startsWith("broker ");
                    assertThat((Long) f.evidence().get("total_bytes")).isPositive();
                });
    }
}
