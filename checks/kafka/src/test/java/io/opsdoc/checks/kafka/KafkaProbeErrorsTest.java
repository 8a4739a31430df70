package io.opsdoc.checks.kafka;

import static io.opsdoc.checks.kafka.KafkaLabChecks.finding;
import static io.opsdoc.checks.kafka.KafkaLabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.SilentTcpServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Kafka check that cannot decide says exactly why, within its deadline, without a stack trace. */
class KafkaProbeErrorsTest {
    private final KafkaIsr check = new KafkaIsr();

    @Test
    void aPortThatAcceptsAndNeverAnswersIsATimeoutWithinTheDeadline() {
        try (SilentTcpServer silent = SilentTcpServer.start()) {
            long t0 = System.nanoTime();
            Report r = run(check, "kafka://" + silent.host() + ":" + silent.port(), Map.of(), Duration.ofSeconds(3));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Finding f = finding(r, "TIMEOUT");
            assertThat(f.severity()).isEqualTo(Severity.UNKNOWN);
            assertThat(f.summary()).contains("no answer from the brokers at 127.0.0.1:" + silent.port());
            assertThat(millis).as("finished within the 3 s timeout (plus grace)").isLessThan(4_500);
            assertThat(silent.acceptedConnections()).isPositive();
        }
    }

    @Test
    void nothingListeningIsUnreachable() {
        Report r = run(check, "kafka://127.0.0.1:" + Ports.closedPort(), Map.of(), Duration.ofSeconds(3));
        Finding f = finding(r, "UNREACHABLE");
        assertThat(f.summary()).contains("connection refused by 127.0.0.1:" + Ports.closedPort());
    }

    @Test
    void anUnresolvableHostIsUnreachableByDns() {
        Report r = run(check, "kafka://no-such-broker.invalid:9092", Map.of(), Duration.ofSeconds(3));
        assertThat(finding(r, "UNREACHABLE").summary()).contains("cannot resolve host no-such-broker.invalid (DNS)");
    }

    @Test
    void aUserInTheTargetBecomesSaslCredentialsWithTheEscapedPassword() {
        Target t = Target.parse("kafka://opsdoc@b1:9093?sasl.mechanism=SCRAM-SHA-512");
        var props = KafkaTarget.clientProperties(new io.opsdoc.core.CheckContext(t,
                java.util.Optional.of(io.opsdoc.core.Secret.of("p\"w\\x", "test")),
                io.opsdoc.core.Parameters.resolve("kafka-isr", check.parameters(), Map.of()), java.time.Instant.now()));
        assertThat(props).containsEntry("bootstrap.servers", "b1:9093").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(props.get("sasl.jaas.config").toString()).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"opsdoc\" password=\"p\\\"w\\\\x\";");
        assertThat(t.display()).doesNotContain("p\"w");
        var plain = KafkaTarget.clientProperties(new io.opsdoc.core.CheckContext(Target.parse("kafka://b1"),
                java.util.Optional.empty(), io.opsdoc.core.Parameters.resolve("kafka-isr", check.parameters(), Map.of()),
                java.time.Instant.now()));
        assertThat(plain).doesNotContainKeys("sasl.jaas.config", "security.protocol");
    }

    @Test
    void kafkaAuthenticationAndAuthorizationErrorsBecomeAuthFailedAndPermissionDenied() {
        var ctx = new io.opsdoc.core.CheckContext(Target.parse("kafka://opsdoc@b1:9093"), java.util.Optional.empty(),
                io.opsdoc.core.Parameters.resolve("kafka-isr", check.parameters(), Map.of()), java.time.Instant.now().plusSeconds(5));
        var auth = AdminSession.translate(new org.apache.kafka.common.errors.SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"),
                "describe the cluster", ctx, KafkaIsr.ID);
        assertThat(auth.code().code()).isEqualTo("AUTH_FAILED");
        assertThat(auth.getMessage()).contains("rejected the login").contains("invalid credentials");
        var denied = AdminSession.translate(new org.apache.kafka.common.errors.TopicAuthorizationException(
                "Not authorized to access topics: [orders]"), "describe topics", ctx, KafkaIsr.ID);
        assertThat(denied.code().code()).isEqualTo("PERMISSION_DENIED");
        assertThat(denied.getMessage()).contains("not allowed to describe topics").contains("opsdoc grants kafka-isr");
        var cluster = AdminSession.translate(new org.apache.kafka.common.errors.ClusterAuthorizationException(
                "Cluster authorization failed."), "describe the metadata quorum", ctx, KafkaCluster.ID);
        assertThat(cluster.getMessage()).contains("opsdoc grants kafka-cluster");
        var timeout = AdminSession.translate(new org.apache.kafka.common.errors.TimeoutException("Timed out"),
                "list topics", ctx, KafkaIsr.ID);
        assertThat(timeout.code().code()).isEqualTo("TIMEOUT");
    }

    @Test
    void targetsAreValidatedBeforeAnyConnection() {
        assertThatThrownBy(() -> check.validate(Target.parse("kafka://b1:9092?acks=all")))
                .isInstanceOf(UsageException.class).hasMessageContaining("'acks' is not supported");
        assertThatThrownBy(() -> check.validate(Target.parse("kafka://ops@b1:9092?security.protocol=SSL")))
                .isInstanceOf(UsageException.class).hasMessageContaining("SASL");
        assertThat(KafkaTarget.bootstrap(Target.parse("kafka://b1,b2:9093"))).isEqualTo("b1:9092,b2:9093");
    }
}
