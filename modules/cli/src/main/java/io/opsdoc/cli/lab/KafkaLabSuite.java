package io.opsdoc.cli.lab;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Target;
import io.opsdoc.lab.kafka.KafkaClusterLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Kafka checks against a real in-JVM KRaft cluster (1 controller, 3 brokers). */
final class KafkaLabSuite implements LabSuite {
    private final Runner runner = new Runner();
    private KafkaClusterLab lab;

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String description() {
        return "a Kafka KRaft cluster in this JVM: 1 controller and 3 brokers, topics with RF 3 and min.insync.replicas 2 (~3 s)";
    }

    @Override
    public String start() {
        lab = KafkaClusterLab.start();
        return "brokers " + lab.bootstrapServers();
    }

    @Override
    public void heal() {
        lab.heal();
    }

    @Override
    public void close() {
        if (lab != null) {
            lab.close();
        }
    }

    @Override
    public List<LabScenario> scenarios() {
        return List.of(
                isr("kafka-healthy", "all brokers up, every partition fully in sync and led by its preferred replica", null,
                        () -> { }),
                isr("broker-down", "one broker is shut down: its replicas leave every ISR", "AT_MIN_ISR",
                        () -> lab.stopOneBroker()),
                isr("two-brokers-down", "two of three brokers are shut down: one replica left in sync", "UNDER_MIN_ISR",
                        () -> lab.stopTwoBrokers()),
                isr("offline-partition", "the only broker holding a single-replica partition is shut down",
                        "OFFLINE_PARTITION", () -> lab.offlinePartition()),
                isr("broker-decommissioned", "a broker was unregistered without moving its partitions away",
                        "RF_EXCEEDS_BROKERS", () -> lab.decommissionBrokerWithoutReassignment()),
                isr("leaders-moved", "a broker restarted and leads nothing: no preferred-leader election ran",
                        "NOT_PREFERRED_LEADER", () -> lab.leadersMovedAway()),
                isr("unclean-election", "unclean.leader.election.enable=true was set on a topic", "UNCLEAN_ELECTION_ENABLED",
                        () -> lab.uncleanElectionEnabled(KafkaClusterLab.PAYMENTS)));
    }

    private LabScenario isr(String name, String description, String code, Runnable induce) {
        return scenario("kafka-isr", name, description, code, induce, Map.of());
    }

    private LabScenario scenario(String checkId, String name, String description, String code, Runnable induce,
            Map<String, String> params) {
        return new LabScenario(name, description, code, () -> {
            induce.run();
            return check(checkId, params);
        });
    }

    private Report check(String checkId, Map<String, String> params) {
        Check<?> check = CheckRegistry.load().require(checkId);
        Parameters p = Parameters.resolve(check.id(), check.parameters(), params);
        return runner.run(check, Target.parse(lab.uri()), p, Optional.empty(), Duration.ofSeconds(15)).report();
    }
}
