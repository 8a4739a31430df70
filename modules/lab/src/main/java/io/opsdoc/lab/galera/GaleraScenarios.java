package io.opsdoc.lab.galera;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.util.List;

/**
 * mysql-galera against a real 3-node MariaDB Galera cluster, read as a user without any privilege (what
 * {@code opsdoc grants mysql-galera} prints). A set of its own rather than part of the MySQL set: it runs three other
 * servers (Debian's mariadbd with galera-4), which none of the replication scenarios needs.
 */
public final class GaleraScenarios implements ScenarioSet<GaleraLab> {
    private static final String CHECK = "mysql-galera";

    /** Galera is a MySQL flavour: its checks and their test live in checks/mysql. */
    @Override
    public String testClass(Scenario<GaleraLab> s) {
        return "io.opsdoc.checks.mysql.GaleraScenariosTest";
    }

    @Override
    public String system() {
        return "mysql-galera";
    }

    @Override
    public String description() {
        return "a 3-node MariaDB Galera cluster from Debian's mariadb-server and galera-4 (~15-30 s to form)";
    }

    @Override
    public List<LabVariant<GaleraLab>> variants() {
        return List.of(new LabVariant<>("default", GaleraLab::unavailable, GaleraLab::start, GaleraLab::shared));
    }

    @Override
    public List<Scenario<GaleraLab>> scenarios() {
        return List.of(
                node1("galera-healthy", "three nodes, all Synced in one Primary component; the other two listed as peers")
                        .param("peers", lab -> lab.peersOf(1)).healthy()
                        .metrics("primary_components_seen", "cluster_size", "flow_control_paused_ratio", "recv_queue", "flow_control_paused_percent",
                                "cert_failures_per_second").build(),
                node1("galera-node-killed", "one node was killed (SIGKILL): the other two keep quorum")
                        .param("peers", lab -> lab.peersOf(1)).breaks(lab -> lab.killNode(3))
                        .expect(code("CLUSTER_SHRUNK").severity(WARNING).evidence("wsrep_cluster_size", 2)
                                .says("even size"))
                        // node 3 is listed but refuses connections: unreadable, not a second component
                        .absent("NON_PRIMARY_COMPONENT", "NODE_NOT_READY", "NODE_NOT_SYNCED", "SPLIT_VIEW").build(),
                node1("galera-split-view", "node 3 left, then an operator bootstrapped it (--wsrep-new-cluster) while "
                                + "nodes 1 and 2 kept running: two Primary components")
                        .param("peers", lab -> lab.peersOf(1)).breaks(GaleraLab::splitBrain)
                        .expect(code("SPLIT_VIEW").severity(CRITICAL).says("split brain", "was bootstrapped"))
                        .absent("NON_PRIMARY_COMPONENT", "NODE_NOT_READY").build(),
                node1("galera-quorum-lost", "two of three nodes were killed: the survivor is a minority")
                        .breaks(GaleraLab::killTwoNodes)
                        .expect(code("NON_PRIMARY_COMPONENT").severity(CRITICAL)
                                .evidence("wsrep_cluster_status", "non-Primary").says("1047"))
                        .expect(code("NODE_NOT_READY").severity(CRITICAL).evidence("wsrep_ready", "OFF"))
                        .absent("CLUSTER_SHRUNK").build(),
                node1("galera-node-desynced", "an operator ran SET GLOBAL wsrep_desync=ON on the node (for a backup)")
                        .breaks(lab -> lab.desync(1))
                        .expect(code("NODE_NOT_SYNCED").severity(WARNING).evidence("wsrep_local_state", "2")
                                .evidence("wsrep_desync", "ON"))
                        .absent("NON_PRIMARY_COMPONENT", "CLUSTER_SHRUNK").build(),
                Scenario.<GaleraLab>of("galera-falling-behind", "a backup holds FLUSH TABLES WITH READ LOCK on node 2 "
                                + "while node 1 keeps writing").checks(CHECK).target(lab -> lab.nodeUri(2))
                        .password(GaleraLab::monitorPassword).holds(GaleraLab::fallingBehind)
                        .expect(code("DONOR_FALLING_BEHIND").severity(WARNING).positive("wsrep_local_recv_queue")
                                .evidence("wsrep_local_state", "2").says("sends no flow control"))
                        .expect(code("NODE_NOT_SYNCED").severity(WARNING).evidence("wsrep_local_state", "2"))
                        .absent("RECV_QUEUE_HIGH", "NON_PRIMARY_COMPONENT", "CLUSTER_SHRUNK").build(),
                Scenario.<GaleraLab>of("galera-recv-queue", "a session on node 2 holds LOCK TABLES on a table while node 1 "
                                + "commits 300 updates to it: node 2 stays Synced with 300 write-sets unapplied")
                        .checks(CHECK).target(lab -> lab.nodeUri(2)).password(GaleraLab::monitorPassword)
                        .holds(GaleraLab::recvQueueBacklog)
                        .expect(code("RECV_QUEUE_HIGH").severity(WARNING).evidence("wsrep_local_state", "4")
                                .says("stale reads"))
                        .absent("DONOR_FALLING_BEHIND", "NODE_NOT_SYNCED", "FLOW_CONTROL_PAUSED",
                                "NON_PRIMARY_COMPONENT").build(),
                Scenario.<GaleraLab>of("galera-flow-control", "a session on node 2 holds LOCK TABLES on the table node 1 "
                                + "writes (gcs.fc_limit=1): node 2's applier waits and node 2 pauses the cluster")
                        .checks(CHECK).target(lab -> lab.nodeUri(2)).password(GaleraLab::monitorPassword)
                        .holds(GaleraLab::flowControlPaused)
                        .expect(code("FLOW_CONTROL_PAUSED").severity(WARNING).positive("flow_control_paused_ns_delta")
                                .evidence("wsrep_flow_control_requested", "true").says("this node asked for the pause"))
                        .absent("RECV_QUEUE_HIGH", "NODE_NOT_SYNCED", "CERTIFICATION_CONFLICTS").build(),
                node1("galera-certification-conflicts", "node 1 commits a row that node 2 changed in a write-set node 1 "
                                + "received but had not applied yet (its applier waited on a table lock)")
                        .holds(GaleraLab::certificationConflicts)
                        .expect(code("CERTIFICATION_CONFLICTS").severity(WARNING)
                                .positive("wsrep_local_cert_failures_delta").says("1213"))
                        .absent("NON_PRIMARY_COMPONENT", "NODE_NOT_SYNCED", "RECV_QUEUE_HIGH").build());
    }

    private static Scenario.Builder<GaleraLab> node1(String id, String story) {
        return Scenario.<GaleraLab>of(id, story).checks(CHECK).target(lab -> lab.nodeUri(1))
                .password(GaleraLab::monitorPassword);
    }
}
