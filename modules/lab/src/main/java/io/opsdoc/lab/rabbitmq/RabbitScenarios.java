package io.opsdoc.lab.rabbitmq;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;

/**
 * The RabbitMQ checks on a real 3-node RabbitMQ 3.10 cluster (Debian {@code rabbitmq-server}), as a user with only
 * the {@code monitoring} tag. One cluster for the whole run: every fault is undone by {@link RabbitLab#heal()}
 * (watermarks reset, stopped apps started, every queue but the baseline quorum queue deleted).
 */
public final class RabbitScenarios implements ScenarioSet<RabbitLab> {
    private static final String CLUSTER = "rabbitmq-cluster";
    private static final String REPLICATION = "rabbitmq-queue-replication";
    private static final String BACKLOG = "rabbitmq-backlog";

    @Override
    public String system() {
        return "rabbitmq";
    }

    @Override
    public String description() {
        return "a 3-node RabbitMQ 3.10 cluster (Debian rabbitmq-server) on loopback with the management plugin";
    }

    @Override
    public List<LabVariant<RabbitLab>> variants() {
        return List.of(new LabVariant<>("3.10", RabbitLab::unavailable, RabbitLab::start, RabbitLab::shared));
    }

    @Override
    public List<Scenario<RabbitLab>> scenarios() {
        return List.of(
                rabbit("nodes-healthy", "three running nodes, no alarm, a quorum queue on all three")
                        .checks(CLUSTER).healthy().metrics("nodes_running", "fd_used_percent").build(),
                rabbit("replication-healthy", "the quorum queue qq1 has its three members online")
                        .checks(REPLICATION).healthy().metrics("queues").build(),
                rabbit("backlog-healthy", "no queue holds messages").checks(BACKLOG).healthy()
                        .metrics("messages_ready_total").build(),
                rabbit("memory-alarm", "rabbit1's memory high watermark set to 0.0001 of RAM")
                        .checks(CLUSTER).breaks(RabbitLab::memoryAlarm)
                        .expect(code("MEMORY_ALARM").severity(CRITICAL).evidence("node", "rabbit1@localhost")
                                .says("memory alarm on rabbit1@localhost", "blocked"))
                        .absent("DISK_ALARM", "NODE_DOWN").build(),
                rabbit("disk-alarm", "rabbit2's free-disk limit set to 100000 GB")
                        .checks(CLUSTER).breaks(RabbitLab::diskAlarm)
                        .expect(code("DISK_ALARM").severity(CRITICAL).evidence("node", "rabbit2@localhost")
                                .says("disk alarm on rabbit2@localhost", "blocked"))
                        .absent("MEMORY_ALARM").build(),
                rabbit("node-app-stopped", "rabbitmqctl stop_app on rabbit3: two of three nodes run")
                        .checks(CLUSTER, REPLICATION).breaks(lab -> lab.stopNodes(3))
                        .expect(code(CLUSTER, "NODE_DOWN").severity(WARNING).says("rabbit3@localhost"))
                        .expect(code(CLUSTER, "QUORUM_CRITICAL").severity(WARNING).evidence("node", "rabbit1@localhost")
                                .says("/qq1"))
                        .expect(code(REPLICATION, "QUORUM_MEMBER_DOWN").severity(WARNING).evidence("queue", "/qq1")
                                .says("2 of 3 members online", "rabbit3@localhost"))
                        .absent("QUORUM_QUEUE_MINORITY").timeout(Duration.ofSeconds(20)).build(),
                rabbit("majority-apps-stopped", "stop_app on rabbit2 and rabbit3: one of three nodes runs")
                        .checks(CLUSTER, REPLICATION).breaks(lab -> lab.stopNodes(2, 3))
                        .expect(code(CLUSTER, "NODE_DOWN").severity(CRITICAL).says("2 of 3", "majority"))
                        .expect(code(REPLICATION, "QUORUM_QUEUE_MINORITY").severity(CRITICAL).evidence("queue", "/qq1")
                                .says("1 of 3 members online"))
                        .absent("QUORUM_MEMBER_DOWN").timeout(Duration.ofSeconds(30)).build(),
                rabbit("connections-near-fd-limit", "150 idle AMQP connections to rabbit3, which may open 300 files")
                        .checks(CLUSTER).holds(RabbitLab::connectionsNearLimit)
                        .expect(code("FD_NEAR_LIMIT").severity(WARNING).evidence("node", "rabbit3@localhost")
                                .says("sockets", "refuses new client connections"))
                        .build(),
                rabbit("mirror-unsynchronised", "ha.orders mirrored by an ha-mode policy; widened to rabbit3 with "
                        + "manual sync while it holds 200 messages")
                        .checks(REPLICATION).breaks(RabbitLab::unsynchronisedMirror)
                        .expect(code("MIRROR_UNSYNCHRONISED").severity(WARNING).evidence("queue", "/ha.orders")
                                .says("rabbit3@localhost", "not synchronised"))
                        .expect(code("MIRRORING_POLICY_UNSUPPORTED").severity(INFO).says("removed in RabbitMQ 4.0"))
                        .build(),
                rabbit("classic-queue-single-node", "a durable classic queue without mirrors in the 3-node cluster")
                        .checks(REPLICATION).breaks(RabbitLab::classicQueue)
                        .expect(code("QUEUE_SINGLE_NODE").severity(INFO).says("/orders.classic (on rabbit1@localhost)"))
                        .absent("NON_DURABLE_QUEUE").build(),
                rabbit("non-durable-queue", "payments.transient declared non-durable, neither exclusive nor auto-delete")
                        .checks(REPLICATION).breaks(RabbitLab::transientQueue)
                        .expect(code("NON_DURABLE_QUEUE").severity(WARNING).says("/payments.transient", "restart"))
                        .build(),
                rabbit("backlog-no-consumer", "1500 messages published to orders, nobody consuming")
                        .checks(BACKLOG).breaks(RabbitLab::backlogWithoutConsumer)
                        .expect(code("BACKLOG_HIGH").severity(WARNING).says("/orders", "1500 ready"))
                        .expect(code("NO_CONSUMERS").severity(WARNING).says("/orders", "no consumer"))
                        .absent("UNACKED_PILING_UP").build(),
                rabbit("consumer-never-acks", "1200 messages delivered to a consumer that never acknowledges")
                        .checks(BACKLOG).holds(RabbitLab::consumerNeverAcks)
                        .expect(code("UNACKED_PILING_UP").severity(WARNING).says("/work", "1200"))
                        .absent("NO_CONSUMERS", "BACKLOG_HIGH").build(),
                rabbit("publish-outpaces-consumer", "40 msg/s published, one consumer taking 100 ms per message")
                        .checks(BACKLOG).param("window", "20s").param("growth-min", "100")
                        .holds(RabbitLab::publishOutpacesConsumer)
                        .expect(code("CONSUME_RATE_BELOW_PUBLISH").severity(WARNING).says("/ingest", "falling behind"))
                        .expect(code("BACKLOG_GROWING").severity(WARNING).says("/ingest"))
                        .absent("NO_CONSUMERS").build(),
                rabbit("head-message-old", "a message stamped with its publish time waits 6 s in audit")
                        .checks(BACKLOG).param("head-age-warning", "3s").breaks(RabbitLab::oldHeadMessage)
                        .expect(code("HEAD_MESSAGE_OLD").severity(WARNING).says("/audit")).build(),
                rabbit("wrong-password", "the monitoring user's password is wrong").checks(CLUSTER)
                        .password(lab -> "not-" + lab.password())
                        .expect(code("AUTH_FAILED").severity(UNKNOWN).says("HTTP 401", "opsdoc-monitor")).build(),
                // last: healing a partition restarts nodes, the slowest heal of all
                rabbit("network-partition", "rabbit1's distribution link to rabbit3 cut; they reconnect and find "
                        + "they ran apart").checks(CLUSTER).breaks(RabbitLab::partition)
                        .expect(code("NETWORK_PARTITION").severity(CRITICAL)
                                .says("rabbit1@localhost is partitioned from", "rabbit3@localhost"))
                        .build());
    }

    @Override
    public java.util.Map<String, String> recordedFactsOnly() {
        return java.util.Map.of(CLUSTER + "#VERSION_SKEW", "every node of the lab runs the one RabbitMQ Debian installs "
                + "(3.10.8); a mixed-version cluster is decided on /api/nodes as 3.10 returns it in "
                + "RabbitClusterRecordedFactsTest");
    }

    private static Scenario.Builder<RabbitLab> rabbit(String id, String story) {
        return Scenario.<RabbitLab>of(id, story).target(RabbitLab::target).password(RabbitLab::password)
                .timeout(Duration.ofSeconds(15));
    }
}
